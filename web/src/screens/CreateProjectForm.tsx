import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { ErrorNotice } from '../ui/states.js';

export function CreateProjectForm() {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () =>
      client.data.createProject({ name, description: description.trim() || undefined }),
    onSuccess: async (project) => {
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      navigate(`/projects/${project.id}`);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="inline-form" aria-labelledby="new-project-heading">
      <h3 id="new-project-heading">New project</h3>
      <label>
        Name
        <input name="projectName" required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input
          name="projectDescription"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <button type="submit" disabled={create.isPending}>
        Create project
      </button>
      {create.error && <ErrorNotice error={create.error} />}
    </form>
  );
}
