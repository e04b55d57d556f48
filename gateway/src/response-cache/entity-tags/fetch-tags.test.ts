import { describe, expect, it } from '@jest/globals';
import { recordSubgraphFetch } from './fetch-tags.js';
import { entityTagsOf, entityTagsRecorder } from './request-tags.js';

describe('recordSubgraphFetch', () => {
  it('tags the entities an _entities fetch sends and those the subgraph reports, then removes the report', () => {
    const request = { metrics: {} };
    const answer = {
      data: { _entities: [] },
      extensions: { entityTags: ['Document:1', 'Project:p'], other: true },
    };
    recordSubgraphFetch(
      entityTagsRecorder(request),
      'data',
      {
        representations: [
          { __typename: 'User', id: 'u1' },
          { __typename: 'Book', upc: 'b3' },
        ],
      },
      answer,
    );
    expect([...entityTagsOf(request).tags].sort()).toEqual(['Document:1', 'Project:p', 'User:u1']);
    expect(entityTagsOf(request).unreported.size).toBe(0);
    expect(answer.extensions).toEqual({ other: true });
  });

  it('leaves no extensions behind when the report was the only one', () => {
    const answer: { extensions?: Record<string, unknown> } = { extensions: { entityTags: [] } };
    recordSubgraphFetch(entityTagsRecorder({ metrics: {} }), 'data', undefined, answer);
    expect(answer.extensions).toBeUndefined();
  });

  it('marks the operation untagged by a subgraph that reports nothing', () => {
    const request = { metrics: {} };
    recordSubgraphFetch(entityTagsRecorder(request), 'books', {}, { extensions: undefined });
    expect([...entityTagsOf(request).unreported]).toEqual(['books']);
  });

  it('keeps each operation of a request apart', () => {
    const first = { metrics: {} };
    const second = { metrics: {} };
    recordSubgraphFetch(
      entityTagsRecorder(first),
      'a',
      {},
      { extensions: { entityTags: ['A:1'] } },
    );
    expect([...entityTagsOf(second).tags]).toEqual([]);
    expect([...entityTagsOf(first).tags]).toEqual(['A:1']);
  });
});
