import type { AnyEventEnvelope } from '@platform/events';

/** The name under which every event is counted, whatever its type. */
export const ALL_EVENTS = 'events';

/** What one event adds to a project's rollups. */
export interface ProjectRollup {
  projectId: string;
  /** +1 for document.created, -1 for document.deleted. */
  documents: number;
  /** +1 for document.updated. */
  edits: number;
  /** Member ids the event names: members as of the event's time. */
  memberIds: string[];
  /** project.member_removed: who stopped being a member at the event's time. */
  removedMemberId?: string;
  /** project.deleted. */
  deleted?: boolean;
  /** The user who created or edited a document, for active editors. */
  editorId?: string;
}

/** What one event adds to the activity of the user who caused it. */
export interface UserRollup {
  userId: string;
  documentsCreated: number;
  documentEdits: number;
  projectsCreated: number;
}

/** Every count one event changes; `recordEvent` writes them all in one transaction. */
export interface Rollups {
  /** Metric series the event is counted in: its type and the total. */
  metricNames: string[];
  project?: ProjectRollup;
  user?: UserRollup;
}

const distinct = (ids: Array<string | undefined>): string[] => [
  ...new Set(ids.filter((id): id is string => Boolean(id))),
];

/** Decides, without side effects, which rollups an event feeds. */
export function rollupsOf(event: AnyEventEnvelope): Rollups {
  const actorId = event.actor?.userId;
  const rollups: Rollups = { metricNames: [ALL_EVENTS, event.type].sort() };
  const user = (counts: Partial<Omit<UserRollup, 'userId'>>, userId = actorId) => {
    if (userId) {
      rollups.user = {
        userId,
        documentsCreated: 0,
        documentEdits: 0,
        projectsCreated: 0,
        ...counts,
      };
    }
  };

  switch (event.type) {
    case 'project.created':
      rollups.project = {
        projectId: event.subject.id,
        documents: 0,
        edits: 0,
        memberIds: distinct([event.data.ownerId, ...event.data.memberIds]),
      };
      user({ projectsCreated: 1 }, actorId ?? event.data.ownerId);
      break;
    case 'project.member_added':
      rollups.project = {
        projectId: event.subject.id,
        documents: 0,
        edits: 0,
        memberIds: distinct([event.data.userId, ...event.data.memberIds]),
      };
      user({});
      break;
    case 'project.updated':
      rollups.project = {
        projectId: event.subject.id,
        documents: 0,
        edits: 0,
        memberIds: distinct(event.data.memberIds),
      };
      user({});
      break;
    case 'project.member_removed':
      rollups.project = {
        projectId: event.subject.id,
        documents: 0,
        edits: 0,
        memberIds: distinct(event.data.memberIds),
        removedMemberId: event.data.userId,
      };
      user({});
      break;
    case 'project.deleted':
      rollups.project = {
        projectId: event.subject.id,
        documents: 0,
        edits: 0,
        memberIds: [],
        deleted: true,
      };
      user({});
      break;
    case 'document.created':
      rollups.project = {
        projectId: event.data.projectId,
        documents: 1,
        edits: 0,
        memberIds: distinct(event.data.memberIds),
        editorId: actorId,
      };
      user({ documentsCreated: 1 });
      break;
    case 'document.updated':
      rollups.project = {
        projectId: event.data.projectId,
        documents: 0,
        edits: 1,
        memberIds: distinct(event.data.memberIds),
        editorId: actorId,
      };
      user({ documentEdits: 1 });
      break;
    case 'document.deleted':
      rollups.project = {
        projectId: event.data.projectId,
        documents: -1,
        edits: 0,
        memberIds: distinct(event.data.memberIds),
      };
      user({});
      break;
    default:
      // user.* and organization.* events: counted in the metrics; they make their actor active.
      user({});
  }
  return rollups;
}
