/** The two `notificationAdded` selections the live benchmark measures. */
export const SELECTION_IDS = ['minimal', 'cross-subgraph'] as const;
export type SelectionId = (typeof SELECTION_IDS)[number];

export const SELECTIONS: Record<SelectionId, { description: string; query: string }> = {
  minimal: {
    description: 'fields of the notification row only',
    query: 'subscription { notificationAdded { id kind createdAt read cursor } }',
  },
  'cross-subgraph': {
    description:
      "the row, its actor's name (user subgraph), its document's title and the document's project name (data subgraph)",
    query:
      'subscription { notificationAdded { id kind createdAt read cursor actor { name } subject { ... on Document { title project { name } } } } }',
  },
};
