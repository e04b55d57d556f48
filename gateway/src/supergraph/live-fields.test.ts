import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse, print } from 'graphql';
import { DEFAULT_SCHEMA_DIR } from '@platform/composer';
import { DOCUMENT_CHANNEL } from '@platform/realtime';
import { readLiveFields } from './live-fields.js';

const committed = readFileSync(`${DEFAULT_SCHEMA_DIR}/supergraph.graphql`, 'utf8');

/** A supergraph-like SDL with one Subscription field and the given @live arguments. */
function declared(field: string, live: string) {
  return readLiveFields(
    parse(`directive @live(channel: String!, authorize: String!, resolve: String!, since: String, cursor: String = "cursor") on FIELD_DEFINITION
      type Subscription { ${field} @live(${live}) plain: String }`),
  );
}

const VALID = `channel: "things:{ownerId}", authorize: "owner(id: $ownerId)", resolve: "thing(id: $id)"`;

describe('reading @live Subscription fields from a supergraph', () => {
  it("reads documentChanged's declaration from the committed supergraph, on the channel the data subgraph publishes to", () => {
    const { fields, problems } = readLiveFields(parse(committed));
    expect(problems).toEqual([]);
    expect([...fields.keys()]).toEqual(['documentChanged']);
    const live = fields.get('documentChanged')!;
    expect(live.channel).toBe(DOCUMENT_CHANNEL);
    expect(print(live.authorize)).toBe('project(id: $projectId)');
    expect(print(live.resolve)).toBe('document(id: $id)');
    expect(print(live.since!)).toBe(
      'documentChangesSince(projectId: $projectId, since: $since, first: $first)',
    );
    expect(live.cursor).toBe('changeCursor');
  });

  it('reads a declaration without since (no replay) and defaults its cursor field to cursor', () => {
    const { fields } = declared('things(ownerId: ID!): String', VALID);
    expect([...fields.keys()]).toEqual(['things']);
    expect(fields.get('things')!.since).toBeUndefined();
    expect(fields.get('things')!.cursor).toBe('cursor');
  });

  it('skips each declaration it cannot serve, saying why', () => {
    const cases: Array<[string, string, string]> = [
      [
        'things(ownerId: ID!): String',
        `channel: "things:{owner}", authorize: "owner(id: $ownerId)", resolve: "thing(id: $id)"`,
        'things: channel names owner, not arguments of the field',
      ],
      [
        'things(ownerId: ID!): String',
        `channel: "things:{ownerId}", authorize: "owner(id: $nobody)", resolve: "thing(id: $id)"`,
        "things: authorize uses $nobody, neither an argument of the field nor the gateway's",
      ],
      [
        'things(ownerId: ID!): String',
        `channel: "things:{ownerId}", authorize: "owner(id: $ownerId)", resolve: "thing(id: $ownerId)"`,
        'things: resolve must use $id',
      ],
      [
        'things(ownerId: ID!): String',
        `channel: "things:{ownerId}", authorize: "owner(id: $ownerId) { id }", resolve: "thing(id: $id)"`,
        'things: authorize is not one field call: owner(id: $ownerId) { id }',
      ],
      [
        'things(ownerId: ID!): String',
        `${VALID}, since: "thingsSince(since: $since)"`,
        'things: a field with a since query needs a since argument (the cursor to resume after)',
      ],
      [
        'things(ownerId: ID!, since: String): String',
        `${VALID}, since: "thingsSince(first: $first)"`,
        'things: since must use $since',
      ],
    ];
    for (const [field, live, problem] of cases) {
      const read = declared(field, live);
      expect(read.problems).toEqual([problem]);
      expect(read.fields.size).toBe(0);
    }
  });
});
