import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloServer, type GraphQLResponse } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { getIntrospectionQuery } from 'graphql';
import { costModelFromSdl } from './model.js';
import { costPlugin, type PricedContext } from './plugin.js';
import type { CostLimits } from './limits.js';
import type { OperationMeasure } from './price-operation.js';

const TYPE_DEFS = /* GraphQL */ `
  directive @cost(weight: Int!) on FIELD_DEFINITION | OBJECT
  directive @listSize(assumedSize: Int, slicingArguments: [String!]) on FIELD_DEFINITION

  type Query {
    items(first: Int): [Item!]! @listSize(slicingArguments: ["first"])
    report: Int @cost(weight: 40)
    priceSeen: Int
  }

  type Item {
    id: ID!
    children(first: Int): [Item!]! @listSize(slicingArguments: ["first"])
  }
`;

const LIMITS: CostLimits = {
  maxCost: 100,
  maxDepth: 4,
  maxAliases: 3,
  maxRootFields: 3,
  maxTokens: 200,
};

interface TestContext extends PricedContext {
  resolverCalls: { count: number };
}

/** Every resolver counts its calls, so a test can prove nothing ran. */
function resolvers() {
  return {
    Query: {
      items: (_: unknown, { first }: { first?: number }, context: TestContext) => {
        context.resolverCalls.count += 1;
        return Array.from({ length: first ?? 2 }, (_item, index) => ({ id: String(index) }));
      },
      report: (_: unknown, _args: unknown, context: TestContext) => {
        context.resolverCalls.count += 1;
        return 42;
      },
      priceSeen: (_: unknown, _args: unknown, context: TestContext) => {
        context.resolverCalls.count += 1;
        return context.cost?.cost ?? null;
      },
    },
    Item: {
      children: (_: unknown, { first }: { first?: number }, context: TestContext) => {
        context.resolverCalls.count += 1;
        return Array.from({ length: first ?? 2 }, (_item, index) => ({ id: `c${index}` }));
      },
    },
  };
}

const model = costModelFromSdl(TYPE_DEFS);

function server(options: { parseTokens?: boolean; onPriced?: (m: OperationMeasure) => void } = {}) {
  return new ApolloServer<TestContext>({
    typeDefs: TYPE_DEFS,
    resolvers: resolvers(),
    parseOptions: options.parseTokens ? { maxLexicalTokens: LIMITS.maxTokens } : {},
    plugins: [
      costPlugin<TestContext>({
        getModel: () => model,
        limits: LIMITS,
        onPriced: options.onPriced && ((measure) => options.onPriced?.(measure)),
      }),
    ],
  });
}

function single(response: GraphQLResponse) {
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult;
}

describe('costPlugin on a real ApolloServer', () => {
  let apollo: ApolloServer<TestContext>;
  const measures: OperationMeasure[] = [];

  beforeAll(async () => {
    apollo = server({ parseTokens: true, onPriced: (measure) => measures.push(measure) });
    await apollo.start();
  });

  afterAll(async () => {
    await apollo.stop();
  });

  async function run(query: string, variables?: Record<string, unknown>) {
    const resolverCalls = { count: 0 };
    const response = await apollo.executeOperation(
      { query, variables },
      { contextValue: { resolverCalls } },
    );
    return { response, result: single(response), resolverCalls: resolverCalls.count };
  }

  it('runs an operation within the limits and reports its cost in extensions.cost', async () => {
    const { result, resolverCalls } = await run('{ items(first: 3) { id } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ items: [{ id: '0' }, { id: '1' }, { id: '2' }] });
    expect(result.extensions).toEqual({ cost: { requested: 3, limit: 100 } });
    expect(resolverCalls).toBe(1);
  });

  it('leaves the price on the context for the steps after it', async () => {
    const { result } = await run('{ priceSeen report }');
    expect(result.data).toEqual({ priceSeen: 40, report: 42 });
  });

  it('tells onPriced about every measured operation', async () => {
    await run('query ($n: Int) { items(first: $n) { id } }', { n: 5 });
    expect(measures.at(-1)).toEqual({ cost: 5, depth: 2, aliases: 0, rootFields: 1 });
  });

  it('refuses an operation over the cost limit with 400 before any resolver runs', async () => {
    const { response, result, resolverCalls } = await run(
      'query ($n: Int) { items(first: $n) { id children(first: 20) { id } } }',
      { n: 10 },
    );
    expect(response.http.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: 'Operation cost 210 exceeds the limit of 100',
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 210, limit: 100 },
      },
    ]);
    expect(result.extensions).toEqual({ cost: { requested: 210, limit: 100 } });
    expect(resolverCalls).toBe(0);
  });

  it('refuses too deep, too many aliases and too many root fields before any resolver runs', async () => {
    const deep = await run(
      '{ items(first: 1) { children(first: 1) { children(first: 1) { children(first: 1) { id } } } } }',
    );
    expect(deep.result.errors?.[0]?.extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      depth: 5,
      limit: 4,
    });
    expect(deep.response.http.status).toBe(400);
    expect(deep.resolverCalls).toBe(0);

    const aliased = await run('{ a: report b: report c: report d: report }');
    expect(aliased.result.errors?.[0]?.extensions?.code).toBe('ALIAS_LIMIT_EXCEEDED');
    expect(aliased.resolverCalls).toBe(0);

    const wide = await run(
      '{ report priceSeen items(first: 1) { id } __typename ...More } fragment More on Query { report }',
    );
    expect(wide.result.errors?.[0]?.extensions).toEqual({
      code: 'ROOT_FIELD_LIMIT_EXCEEDED',
      rootFields: 4,
      limit: 3,
    });
    expect(wide.resolverCalls).toBe(0);
  });

  it('answers a document over the token limit with TOKEN_LIMIT_EXCEEDED and the limit', async () => {
    const fields = Array.from({ length: 70 }, (_, i) => `a${i}: report`).join(' ');
    const { response, result, resolverCalls } = await run(`{ ${fields} }`);
    expect(response.http.status).toBe(400);
    expect(result.errors).toEqual([
      {
        message: 'Operation has more than 200 tokens, the limit',
        extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: 200 },
      },
    ]);
    expect(result.extensions).toBeUndefined();
    expect(resolverCalls).toBe(0);
  });

  it('lets the standard introspection query through and leaves deep introspection to validation', async () => {
    const standard = await run(getIntrospectionQuery());
    expect(standard.result.errors).toBeUndefined();
    expect(standard.result.extensions).toEqual({ cost: { requested: 1, limit: 100 } });

    const recursive = await run(
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    );
    expect(recursive.result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('costPlugin without a parser token limit', () => {
  it('counts the tokens itself and refuses before any resolver runs', async () => {
    const apollo = server();
    await apollo.start();
    try {
      const resolverCalls = { count: 0 };
      const fields = Array.from({ length: 250 }, () => 'report').join(' ');
      const response = await apollo.executeOperation(
        { query: `query { ${fields} }` },
        { contextValue: { resolverCalls } },
      );
      const result = single(response);
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'TOKEN_LIMIT_EXCEEDED',
        limit: 200,
      });
      expect(resolverCalls.count).toBe(0);
    } finally {
      await apollo.stop();
    }
  });
});

describe('costPlugin on batched HTTP requests', () => {
  let apollo: ApolloServer<TestContext>;
  let url: string;
  const resolverCalls = { count: 0 };

  beforeAll(async () => {
    apollo = new ApolloServer<TestContext>({
      typeDefs: TYPE_DEFS,
      resolvers: resolvers(),
      allowBatchedHttpRequests: true,
      plugins: [costPlugin<TestContext>({ getModel: () => model, limits: LIMITS })],
    });
    ({ url } = await startStandaloneServer(apollo, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async () => ({ resolverCalls, pricedOperations: [] }),
    }));
  });

  afterAll(async () => {
    await apollo.stop();
  });

  it('limits a batch by the sum of its operations: the one that goes over the limit is refused', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ report }' },
        { query: '{ report }' },
        { query: '{ report }' },
      ]),
    });
    const results = (await response.json()) as Array<{
      data?: unknown;
      errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
      extensions?: unknown;
    }>;
    expect(results).toHaveLength(3);
    const served = results.filter((result) => result.data);
    const refused = results.filter((result) => result.errors);
    expect(served).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.errors?.[0]).toEqual({
      message: 'Batch cost 120 (the sum of its operations) exceeds the limit of 100',
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 120, limit: 100 },
    });
    for (const result of results) {
      expect(result.extensions).toEqual({ cost: { requested: 40, limit: 100 } });
    }
    expect(resolverCalls.count).toBe(2);
  });
});
