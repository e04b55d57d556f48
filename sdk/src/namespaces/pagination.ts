/** The schema's Relay-style connection shape: `edges { cursor node }` and `pageInfo`. */
export interface Connection<TNode> {
  edges: ReadonlyArray<{ cursor: string; node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

export type NodeOf<C> = C extends Connection<infer N> ? N : never;

/** A method returning one page, plus `iterate(args)`: every node of every page, in order. */
export type Paginated<TArgs extends { after?: string | null }, TConnection> = ((
  args: TArgs,
) => Promise<TConnection>) & {
  iterate(
    args: Omit<TArgs, 'after'> & { after?: string | null },
  ): AsyncIterableIterator<NodeOf<TConnection>>;
};

export function paginated<
  TArgs extends { after?: string | null },
  TConnection extends Connection<unknown>,
>(page: (args: TArgs) => Promise<TConnection>): Paginated<TArgs, TConnection> {
  async function* iterate(args: TArgs): AsyncGenerator<NodeOf<TConnection>> {
    let after = args.after ?? null;
    for (;;) {
      const connection = await page({ ...args, after });
      for (const edge of connection.edges) yield edge.node as NodeOf<TConnection>;
      if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
      after = connection.pageInfo.endCursor;
    }
  }
  return Object.assign(page, {
    iterate: (args: Omit<TArgs, 'after'> & { after?: string | null }) => iterate(args as TArgs),
  });
}
