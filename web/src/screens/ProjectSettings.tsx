import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { ErrorNotice } from '../ui/states.js';

/** Rename, redescribe or delete a project (its owner or an administrator; the API decides). */
export function ProjectSettings({
  project,
}: {
  project: { id: string; name: string; description?: string | null };
}) {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description ?? '');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const update = useMutation({
    mutationFn: () =>
      client.data.updateProject(project.id, {
        name: name.trim(),
        description: description.trim() || null,
      }),
    onSuccess: async () => {
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['project', project.id] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const remove = useMutation({
    mutationFn: () => client.data.deleteProject(project.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['project', project.id] });
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      navigate('/');
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate();
  };
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Project settings
      </button>
    );
  }
  return (
    <section className="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Project settings</h2>
      <form onSubmit={onSubmit} className="inline-form">
        <label>
          Project name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Project description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <button type="submit" disabled={update.isPending}>
          Save project
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Close
        </button>
      </form>
      {update.error && <ErrorNotice error={update.error} />}
      <div className="actions danger-zone">
        {confirmDelete ? (
          <>
            <span>Delete the project and all its documents?</span>
            <button type="button" className="danger" onClick={() => remove.mutate()}>
              Delete project
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete this project
          </button>
        )}
      </div>
      {remove.error && <ErrorNotice error={remove.error} />}
    </section>
  );
}
