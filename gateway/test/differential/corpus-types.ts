import { federation, type CorpusSupergraph } from './harness.js';

const media = [
  { id: 'm1', kind: 'Book', title: 'Dune', pages: 412 },
  { id: 'm2', kind: 'Movie', title: 'Alien', minutes: 117 },
];

/** An entity interface whose fields another subgraph adds through @interfaceObject. */
export const interfaceObjects: CorpusSupergraph = {
  name: 'interface-objects',
  subgraphs: [
    {
      name: 'library',
      typeDefs: `${federation('key')}
        interface Media @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! title: String! }
        type Book implements Media @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! title: String! pages: Int! }
        type Movie implements Media @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! title: String! minutes: Int! }
        type Query @cacheControl(maxAge: 60) { media: [Media!]! }`,
      resolvers: {
        Query: { media: () => media },
        Media: {
          __resolveType: (item: { kind: string }) => item.kind,
          __resolveReference: ({ id }: { id: string }) => media.find((m) => m.id === id),
        },
        Book: { __resolveReference: ({ id }: { id: string }) => media.find((m) => m.id === id) },
        Movie: { __resolveReference: ({ id }: { id: string }) => media.find((m) => m.id === id) },
      },
    },
    {
      name: 'ratings',
      typeDefs: `${federation('key', 'interfaceObject')}
        type Media @key(fields: "id") @interfaceObject @cacheControl(maxAge: 60) { id: ID! stars: Int! }
        type Query @cacheControl(maxAge: 60) { b: Media topRated: [Media!]! }`,
      resolvers: {
        Query: { b: () => ({ id: 'm1' }), topRated: () => [{ id: 'm2' }, { id: 'm1' }] },
        Media: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          stars: ({ id }: { id: string }) => (id === 'm1' ? 5 : 4),
        },
      },
    },
  ],
  queries: [
    {
      name: 'an @interfaceObject root field owned by a subgraph with no implementations',
      query: '{ b { id } }',
    },
    {
      name: 'an @interfaceObject field next to interface fields',
      query: '{ b { id stars title } }',
    },
    {
      name: 'the concrete type of an @interfaceObject result',
      query: '{ topRated { __typename id ... on Book { pages } ... on Movie { minutes } } }',
    },
    {
      name: 'interface fields added by the interface object on the owner root field',
      query: '{ media { title stars } }',
    },
    {
      name: 'fragments on implementations with interface-object fields',
      query: '{ media { ... on Book { pages stars } ... on Movie { title } } }',
    },
  ],
};

/** An interface served by two subgraphs, one of which cannot give every implementation's id. */
export const nodes: CorpusSupergraph = {
  name: 'nodes',
  subgraphs: [
    {
      name: 'posts',
      typeDefs: `${federation('key')}
        interface Node @cacheControl(maxAge: 60) { id: ID! }
        type Post implements Node @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! title: String! }
        type Query @cacheControl(maxAge: 60) { node(id: ID!): Node }`,
      resolvers: {
        Query: {
          node: (_: unknown, { id }: { id: string }) =>
            id.startsWith('p') ? { id, title: `Post ${id}` } : null,
        },
        Node: { __resolveType: () => 'Post' },
        Post: { __resolveReference: ({ id }: { id: string }) => ({ id, title: `Post ${id}` }) },
      },
    },
    {
      name: 'comments',
      typeDefs: `${federation('key', 'shareable')}
        interface Node @cacheControl(maxAge: 60) { id: ID! }
        type Comment implements Node @cacheControl(maxAge: 60) { id: ID! text: String! }
        type Post @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! comments: [Comment!]! }
        type Query @cacheControl(maxAge: 60) { latestComment: Node }`,
      resolvers: {
        Query: { latestComment: () => ({ id: 'c9', text: 'first!' }) },
        Node: { __resolveType: () => 'Comment' },
        Post: { comments: ({ id }: { id: string }) => [{ id: `c-${id}`, text: `on ${id}` }] },
      },
    },
  ],
  queries: [
    {
      name: 'an interface whose id cannot be planned from every subgraph',
      query: '{ node(id: "p1") { __typename } }',
    },
    {
      name: 'a node with a fragment crossing subgraphs',
      query: '{ node(id: "p2") { id ... on Post { title comments { text } } } }',
    },
    { name: 'a null node', query: '{ node(id: "x1") { id __typename } }' },
    {
      name: 'the same interface from the other subgraph',
      query: '{ latestComment { __typename ... on Comment { text } } }',
    },
    {
      name: 'both roots in one operation',
      query: '{ node(id: "p3") { __typename } latestComment { id } }',
    },
  ],
};

const things = [
  { kind: 'Album', id: 'a1', name: 'Kind of Blue', tracks: 5 },
  { kind: 'Artist', id: 'r1', name: 'Miles Davis' },
  { kind: 'Album', id: 'a2', name: 'Blue Train', tracks: 5 },
];

/** A union whose members live in two subgraphs. */
export const unions: CorpusSupergraph = {
  name: 'unions',
  subgraphs: [
    {
      name: 'search',
      typeDefs: `${federation('key')}
        type Album @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! }
        type Artist @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! }
        union Result @cacheControl(maxAge: 60) = Album | Artist
        type Query @cacheControl(maxAge: 60) { search(term: String!): [Result!]! first: Result }`,
      resolvers: {
        Query: {
          search: (_: unknown, { term }: { term: string }) =>
            things.filter((t) => t.name.toLowerCase().includes(term)),
          first: () => things[1],
        },
        Result: { __resolveType: (thing: { kind: string }) => thing.kind },
      },
    },
    {
      name: 'details',
      typeDefs: `${federation('key')}
        type Album @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! tracks: Int! }
        type Artist @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! albums: [Album!]! }`,
      resolvers: {
        Album: { tracks: () => 5 },
        Artist: { albums: () => [{ id: 'a1' }, { id: 'a2' }] },
      },
    },
  ],
  queries: [
    {
      name: 'a union list with fragments on each member',
      query:
        '{ search(term: "blue") { __typename ... on Album { name tracks } ... on Artist { name } } }',
    },
    {
      name: 'a union member reaching into another subgraph',
      query: '{ first { ... on Artist { name albums { id tracks } } } }',
    },
    { name: 'a union with only a typename', query: '{ search(term: "m") { __typename } }' },
    { name: 'an empty union list', query: '{ search(term: "zzz") { ... on Album { id } } }' },
    {
      name: 'named fragments on union members',
      query:
        'fragment A on Album { id tracks } fragment R on Artist { id } { search(term: "i") { ...A ...R } }',
    },
  ],
};

/** A field moved from one subgraph to another with @override, and @shareable value types. */
export const overrides: CorpusSupergraph = {
  name: 'overrides',
  subgraphs: [
    {
      name: 'legacy',
      typeDefs: `${federation('key', 'shareable')}
        type Store @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! location: Location! }
        type Location @shareable @cacheControl(maxAge: 60) { lat: Float! lng: Float! }
        type Query @cacheControl(maxAge: 60) { stores: [Store!]! }`,
      resolvers: {
        Query: { stores: () => [{ id: 's1' }, { id: 's2' }] },
        Store: {
          name: ({ id }: { id: string }) => `legacy ${id}`,
          location: () => ({ lat: 1, lng: 2 }),
        },
      },
    },
    {
      name: 'modern',
      typeDefs: `${federation('key', 'shareable', 'override')}
        type Store @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! @override(from: "legacy") hours: String! nearby: [Location!]! }
        type Location @shareable @cacheControl(maxAge: 60) { lat: Float! lng: Float! }`,
      resolvers: {
        Store: {
          name: ({ id }: { id: string }) => `modern ${id}`,
          hours: () => '9-17',
          nearby: () => [{ lat: 3, lng: 4 }],
        },
      },
    },
  ],
  queries: [
    { name: 'an overridden field served by its new owner', query: '{ stores { id name } }' },
    {
      name: 'overridden and kept fields together',
      query: '{ stores { name hours location { lat } } }',
    },
    {
      name: 'a @shareable type from both subgraphs',
      query: '{ stores { location { lat lng } nearby { lat lng } } }',
    },
    {
      name: 'aliased shareable fields',
      query: '{ stores { here: location { x: lat } there: nearby { y: lng } } }',
    },
    {
      name: 'typename of shareable values',
      query: '{ stores { location { __typename } nearby { __typename } } }',
    },
  ],
};

const skus = [
  { brand: 'acme', code: 'x1', label: 'Anvil' },
  { brand: 'acme', code: 'x2', label: 'Rocket' },
  { brand: 'bolt', code: 'x1', label: 'Bolt' },
];

/** Composite and nested keys. */
export const compositeKeys: CorpusSupergraph = {
  name: 'composite-keys',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${federation('key')}
        type Sku @key(fields: "brand code") @cacheControl(maxAge: 60) { brand: String! code: String! label: String! }
        type Seat @key(fields: "row { id } number") @cacheControl(maxAge: 60) { row: Row! number: Int! }
        type Row @cacheControl(maxAge: 60) { id: ID! }
        type Query @cacheControl(maxAge: 60) { skus: [Sku!]! seats: [Seat!]! }`,
      resolvers: {
        Query: {
          skus: () => skus,
          seats: () => [
            { row: { id: 'A' }, number: 1 },
            { row: { id: 'B' }, number: 7 },
          ],
        },
      },
    },
    {
      name: 'stock',
      typeDefs: `${federation('key')}
        type Sku @key(fields: "brand code") @cacheControl(maxAge: 60) { brand: String! code: String! onHand: Int! }
        type Seat @key(fields: "row { id } number") @cacheControl(maxAge: 60) { row: Row! number: Int! taken: Boolean! }
        type Row @cacheControl(maxAge: 60) { id: ID! }`,
      resolvers: {
        Sku: {
          onHand: ({ brand, code }: { brand: string; code: string }) => brand.length + code.length,
        },
        Seat: { taken: ({ number }: { number: number }) => number > 5 },
      },
    },
  ],
  queries: [
    { name: 'a composite key across subgraphs', query: '{ skus { label onHand } }' },
    { name: 'a composite key with its fields selected', query: '{ skus { brand code onHand } }' },
    { name: 'a nested key across subgraphs', query: '{ seats { number taken } }' },
    { name: 'a nested key with its nested field', query: '{ seats { row { id } taken } }' },
    {
      name: 'both composite entities with aliases',
      query: '{ s: skus { l: label h: onHand } t: seats { n: number x: taken } }',
    },
  ],
};

/** Entities with nullable ids, and non-entity types that have ids (nothing to tag, nothing to break). */
export const nullableIds: CorpusSupergraph = {
  name: 'nullable-ids',
  subgraphs: [
    {
      name: 'events',
      typeDefs: `${federation('key')}
        type Event @key(fields: "slug") @cacheControl(maxAge: 60) { slug: String! id: ID title: String! venue: Venue }
        type Venue @cacheControl(maxAge: 60) { id: ID name: String }
        type Query @cacheControl(maxAge: 60) { events: [Event!]! }`,
      resolvers: {
        Query: {
          events: () => [
            { slug: 'e1', id: null, title: 'Launch', venue: { id: null, name: 'Hall' } },
            { slug: 'e2', id: '2', title: 'Party', venue: null },
          ],
        },
      },
    },
    {
      name: 'tickets',
      typeDefs: `${federation('key')}
        type Event @key(fields: "slug") @cacheControl(maxAge: 60) { slug: String! sold: Int! }`,
      resolvers: { Event: { sold: ({ slug }: { slug: string }) => (slug === 'e1' ? 100 : 3) } },
    },
  ],
  queries: [
    { name: 'an entity whose id field is null', query: '{ events { id title } }' },
    { name: 'a value type with a null id', query: '{ events { venue { id name } } }' },
    { name: 'a null object next to an entity fetch', query: '{ events { venue { name } sold } }' },
    { name: 'no id selected at all', query: '{ events { title sold } }' },
    {
      name: 'skip of an entity fetch by literal',
      query: '{ events { title sold @skip(if: true) } }',
    },
  ],
};

/** Mutations through both gateways: their answers must match too (they are never cached). */
export const mutations: CorpusSupergraph = {
  name: 'mutations',
  subgraphs: [
    {
      name: 'counter',
      typeDefs: `${federation('key')}
        type Counter @key(fields: "id") { id: ID! value: Int! }
        type Query { counter(id: ID!): Counter }
        type Mutation { set(id: ID!, value: Int!): Counter! fail(id: ID!): Counter }`,
      resolvers: {
        Query: { counter: (_: unknown, { id }: { id: string }) => ({ id, value: 1 }) },
        Mutation: {
          set: (_: unknown, { id, value }: { id: string; value: number }) => ({ id, value }),
          fail: () => {
            throw new Error('cannot');
          },
        },
      },
    },
    {
      name: 'labels',
      typeDefs: `${federation('key')}
        type Counter @key(fields: "id") { id: ID! label: String! }`,
      resolvers: { Counter: { label: ({ id }: { id: string }) => `#${id}` } },
    },
  ],
  queries: [
    {
      name: 'a mutation returning an entity of two subgraphs',
      query: 'mutation { set(id: "c1", value: 3) { value label } }',
    },
    {
      name: 'two aliased mutations',
      query:
        'mutation { a: set(id: "c1", value: 1) { value } b: set(id: "c2", value: 2) { label } }',
    },
    { name: 'a failing mutation', query: 'mutation { fail(id: "c1") { value } }' },
    {
      name: 'an uncached query of an entity without hints',
      query: '{ counter(id: "c3") { value label } }',
    },
  ],
};

/**
 * An entity interface with no implementation anywhere yet, and a subgraph that adds to it
 * through @interfaceObject and owns the root field. Rewriting the query (adding `__typename`)
 * made planning fail with a 500 here.
 */
export const emptyInterfaceObject: CorpusSupergraph = {
  name: 'empty-interface-object',
  subgraphs: [
    {
      name: 'accounts',
      typeDefs: `${federation('key', 'interfaceObject')}
        type Account @key(fields: "id") @interfaceObject @cacheControl(maxAge: 60) { id: ID! balance: Int! }
        type Query @cacheControl(maxAge: 60) { b: Account accounts: [Account!]! }`,
      resolvers: {
        Query: { b: () => ({ id: 'x1' }), accounts: () => [{ id: 'x1' }, { id: 'x2' }] },
        Account: { balance: ({ id }: { id: string }) => (id === 'x1' ? 10 : 20) },
      },
    },
    {
      name: 'kinds',
      typeDefs: `${federation('key')}
        interface Account @key(fields: "id") { id: ID! }
        type Query { kindsVersion: Int }`,
      resolvers: {
        Query: { kindsVersion: () => 1 },
        Account: { __resolveReference: () => null, __resolveType: () => null },
      },
    },
  ],
  queries: [
    {
      name: 'an @interfaceObject root field whose interface has no implementations',
      query: '{ b { id } }',
    },
    { name: 'a field of the interface object on that root field', query: '{ b { id balance } }' },
    { name: 'a list of interface objects', query: '{ accounts { id balance } }' },
  ],
};
