import { Link, Outlet, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { useLiveDocuments } from '../app/live-documents.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { DocumentList } from './DocumentList.js';
import { Members } from './Members.js';
import { ProjectSettings } from './ProjectSettings.js';

/** A project: its documents (list and editor) and members. */
export function ProjectPage() {
  const { projectId = '' } = useParams();
  const client = usePlatformClient();
  const project = useQuery({
    queryKey: ['project', projectId],
    queryFn: () => client.data.project(projectId),
  });
  useLiveDocuments(project.data ? projectId : '');
  return (
    <main id="main" tabIndex={-1} className="page">
      {project.isPending ? (
        <Loading label="Loading the project…" />
      ) : project.error ? (
        <ErrorNotice error={project.error} />
      ) : !project.data ? (
        <>
          <h1>Project not found</h1>
          <p>It does not exist, or you are not one of its members.</p>
          <Link to="/">Back to the dashboard</Link>
        </>
      ) : (
        <>
          <p className="breadcrumbs">
            <Link to="/">Dashboard</Link> / {project.data.name}
          </p>
          <h1>{project.data.name}</h1>
          {project.data.description && <p className="muted">{project.data.description}</p>}
          <ProjectSettings key={project.data.id} project={project.data} />
          <div className="project-layout">
            <DocumentList projectId={projectId} />
            <div className="project-side">
              <Outlet />
              <Members projectId={projectId} ownerId={project.data.owner.id} />
            </div>
          </div>
        </>
      )}
    </main>
  );
}

export function NoDocumentSelected() {
  return (
    <section className="card">
      <h2>Documents</h2>
      <p className="muted">Open a document from the list, or create a new one.</p>
    </section>
  );
}
