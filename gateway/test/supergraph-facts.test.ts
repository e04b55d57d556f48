import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { OperationTypeNode } from 'graphql';
import { DEFAULT_SCHEMA_DIR, readRoverConfig } from '@platform/composer';
import { readSupergraphFacts } from '../src/supergraph/facts.js';

describe('supergraph facts', () => {
  it('lists the root fields tagged public and the routing URL of every subgraph', async () => {
    const committed = await readFile(`${DEFAULT_SCHEMA_DIR}/supergraph.graphql`, 'utf8');
    const facts = readSupergraphFacts(committed);

    expect([...(facts.publicRootFields.get(OperationTypeNode.MUTATION) ?? [])].sort()).toEqual([
      'login',
      'refreshSession',
      'signOut',
      'signUp',
    ]);
    expect(facts.publicRootFields.get(OperationTypeNode.QUERY)?.size).toBe(0);

    const { subgraphs } = await readRoverConfig();
    expect(Object.fromEntries(facts.routingUrls)).toEqual(
      Object.fromEntries(subgraphs.map(({ name, routingUrl }) => [name, routingUrl])),
    );
  });
});
