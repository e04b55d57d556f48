import { describe, expect, it } from '@jest/globals';
import { buildSchema, GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import type { Principal } from '@platform/identity';
import { recordFetchOfOperation } from '../response-cache/index.js';
import { entityTagsOf } from '../response-cache/entity-tags/index.js';
import { sharingExecutor } from './shared-operations.js';

type Executor = Parameters<typeof sharingExecutor>[0];
type ExecutionContext = Parameters<Executor>[0];

const schema = buildSchema('type Query { me: String } type Mutation { touch: String }');
const ada: Principal = { kind: 'user', userId: 'u-ada', role: 'USER', scopes: ['read'] };
const bob: Principal = { kind: 'user', userId: 'u-bob', role: 'USER', scopes: ['read'] };

/** A cache policy as Apollo Server's: restrict keeps the lowest maxAge and PRIVATE over PUBLIC. */
function cachePolicy() {
  return {
    maxAge: undefined as number | undefined,
    scope: undefined as string | undefined,
    restrict(hint: { maxAge?: number; scope?: string }) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) {
        this.maxAge = hint.maxAge;
      }
      if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
    },
  };
}

function requestOf(
  source: string,
  principal: Principal,
  variables: Record<string, unknown> = {},
): ExecutionContext {
  const document = parse(source);
  return {
    request: { query: source, variables },
    schema,
    queryHash: source,
    document,
    source,
    operationName: null,
    operation: document.definitions[0] as OperationDefinitionNode,
    context: { principal },
    metrics: {},
    overallCachePolicy: cachePolicy(),
  } as unknown as ExecutionContext;
}

/**
 * Executes as the gateway does, slowly: one subgraph fetch that records the entities it touched
 * through the data source's hook and restricts the cache policy as a subgraph's Cache-Control does.
 */
function subgraphExecutor() {
  const runs: ExecutionContext[] = [];
  const executor: Executor = async (requestContext) => {
    runs.push(requestContext);
    await new Promise((resolve) => setTimeout(resolve, 20));
    recordFetchOfOperation(
      { incomingRequestContext: requestContext, request: { variables: {} } } as never,
      'people',
      { extensions: { entityTags: ['User:u-ada'] } },
    );
    (requestContext.overallCachePolicy as ReturnType<typeof cachePolicy>).restrict({
      maxAge: 30,
      scope: 'PRIVATE',
    });
    return {
      data: { me: 'Ada', list: [{ id: 1 }] },
      errors: [new GraphQLError('partly', { path: ['me'], extensions: { code: 'X' } })],
    };
  };
  return { executor, runs };
}

const getPrincipal = (context: Record<string, unknown>) => context.principal as Principal;

describe('sharingExecutor', () => {
  it('runs identical queries of one principal once; the follower gets its own copy, the tags and the cache hints', async () => {
    const { executor, runs } = subgraphExecutor();
    let shared = 0;
    const execute = sharingExecutor(executor, { getPrincipal, onShared: () => (shared += 1) });
    const leader = requestOf('{ me }', ada);
    const follower = requestOf('{ me }', ada);

    const [led, followed] = await Promise.all([execute(leader), execute(follower)]);

    expect(runs).toEqual([leader]);
    expect(shared).toBe(1);
    expect(followed).toEqual(led);
    expect(followed.data).not.toBe(led.data);
    expect(followed.data!.list).not.toBe(led.data!.list);
    expect(followed.errors![0]).toBeInstanceOf(GraphQLError);
    expect(followed.errors![0]).not.toBe(led.errors![0]);
    expect(followed.errors![0]!.extensions).toEqual({ code: 'X' });
    expect([...entityTagsOf(follower).tags]).toEqual(['User:u-ada']);
    expect(follower.overallCachePolicy).toMatchObject({ maxAge: 30, scope: 'PRIVATE' });
  });

  it('runs the same query of two principals, or with other variables, apart', async () => {
    const { executor, runs } = subgraphExecutor();
    const execute = sharingExecutor(executor, { getPrincipal });

    await Promise.all([
      execute(requestOf('query ($n: Int) { me }', ada, { n: 1 })),
      execute(requestOf('query ($n: Int) { me }', bob, { n: 1 })),
      execute(requestOf('query ($n: Int) { me }', ada, { n: 2 })),
    ]);

    expect(runs).toHaveLength(3);
  });

  it('treats variables in another key order as the same', async () => {
    const { executor, runs } = subgraphExecutor();
    const execute = sharingExecutor(executor, { getPrincipal });

    await Promise.all([
      execute(requestOf('query ($a: Int, $b: Int) { me }', ada, { a: 1, b: 2 })),
      execute(requestOf('query ($a: Int, $b: Int) { me }', ada, { b: 2, a: 1 })),
    ]);

    expect(runs).toHaveLength(1);
  });

  it('runs every mutation', async () => {
    const { executor, runs } = subgraphExecutor();
    const execute = sharingExecutor(executor, { getPrincipal });

    await Promise.all([
      execute(requestOf('mutation { touch }', ada)),
      execute(requestOf('mutation { touch }', ada)),
    ]);

    expect(runs).toHaveLength(2);
  });

  it('runs a query again once the identical one has answered', async () => {
    const { executor, runs } = subgraphExecutor();
    const execute = sharingExecutor(executor, { getPrincipal });

    await execute(requestOf('{ me }', ada));
    await execute(requestOf('{ me }', ada));

    expect(runs).toHaveLength(2);
  });

  it('fails the follower with the leader when the execution fails', async () => {
    const execute = sharingExecutor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('planner broke');
      },
      { getPrincipal },
    );

    const outcomes = await Promise.allSettled([
      execute(requestOf('{ me }', ada)),
      execute(requestOf('{ me }', ada)),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
