import { GraphQLError } from 'graphql';
import { federation, type CorpusSupergraph } from './harness.js';

const books = [
  { upc: 'b1', id: 'isbn-1', title: 'Dune', authorId: 'a1', year: 1965 },
  { upc: 'b2', id: 'isbn-2', title: 'Emma', authorId: 'a2', year: 1815 },
  // No ISBN yet: its second key comes back null.
  { upc: 'b3', id: null, title: 'Anonymous Tales', authorId: null, year: 1900 },
];
const authors = new Map([
  ['a1', { id: 'a1', name: 'Frank Herbert', born: 1920 }],
  ['a2', { id: 'a2', name: 'Jane Austen', born: 1775 }],
]);

/** Entities across two subgraphs; one book's second key and its author reference's key are null. */
export const booksAndAuthors: CorpusSupergraph = {
  name: 'books-and-authors',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${federation('key')}
        type Book @key(fields: "upc") @key(fields: "id") @cacheControl(maxAge: 60) {
          upc: ID!
          id: ID!
          title: String!
          year: Int
          author: Author
        }
        type Author @key(fields: "id", resolvable: false) @cacheControl(maxAge: 60) { id: ID }
        type Query @cacheControl(maxAge: 60) { book(upc: ID!): Book books: [Book!]! }`,
      resolvers: {
        Query: {
          book: (_: unknown, { upc }: { upc: string }) => books.find((b) => b.upc === upc) ?? null,
          books: () => books,
        },
        Book: { author: (book: { authorId: string | null }) => ({ id: book.authorId }) },
      },
    },
    {
      name: 'people',
      typeDefs: `${federation('key')}
        type Author @key(fields: "id") @cacheControl(maxAge: 60) { id: ID name: String! born: Int }`,
      resolvers: {
        Author: {
          __resolveReference: ({ id }: { id: string | null }) =>
            id === null ? null : (authors.get(id) ?? null),
        },
      },
    },
  ],
  queries: [
    {
      name: 'an entity whose key field comes back null',
      query: '{ book(upc: "b3") { upc author { id name } } }',
    },
    {
      name: 'a reference with a null key, selecting only the key',
      query: '{ book(upc: "b3") { upc author { id } } }',
    },
    {
      name: 'an entity across subgraphs',
      query: '{ book(upc: "b1") { title author { name born } } }',
    },
    {
      name: 'a list of entities with their references',
      query: '{ books { upc title author { name } } }',
    },
    {
      name: 'aliases of one field with other arguments',
      query:
        '{ first: book(upc: "b1") { t: title } second: book(upc: "b2") { t: title a: author { n: name } } }',
    },
    { name: 'a missing entity', query: '{ book(upc: "nope") { title author { name } } }' },
    {
      name: 'variables',
      query: 'query ($upc: ID!) { book(upc: $upc) { title author { name } } }',
      variables: { upc: 'b2' },
    },
    {
      name: 'skip and include with variables',
      query:
        'query ($withAuthor: Boolean!, $noYear: Boolean!) { books { title year @skip(if: $noYear) author @include(if: $withAuthor) { name } } }',
      variables: { withAuthor: true, noYear: true },
    },
    {
      name: 'a named fragment on an entity',
      query: 'fragment AuthorParts on Author { name born } { books { author { ...AuthorParts } } }',
    },
    { name: 'typename only', query: '{ books { __typename author { __typename } } }' },
  ],
};

interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
const products: Product[] = [
  { upc: 'p1', name: 'Table', price: 899, weight: 20 },
  { upc: 'p2', name: 'Couch', price: 1299, weight: 50 },
  { upc: 'p3', name: 'Chair', price: 54, weight: 5 },
];
const productByUpc = (upc: string) => products.find((p) => p.upc === upc);
const reviews = [
  { id: 'r1', body: 'Love it', productUpc: 'p1', authorId: 'u1' },
  { id: 'r2', body: 'Too soft', productUpc: 'p2', authorId: 'u2' },
  { id: 'r3', body: 'Sturdy', productUpc: 'p1', authorId: 'u2' },
];
const users = new Map([
  ['u1', { id: 'u1', name: 'Ada', username: '@ada' }],
  ['u2', { id: 'u2', name: 'Alan', username: '@alan' }],
]);

/** The classic four: @requires, @external, @provides and lists of entities across subgraphs. */
export const shop: CorpusSupergraph = {
  name: 'shop',
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${federation('key')}
        type Product @key(fields: "upc") @cacheControl(maxAge: 60) { upc: ID! name: String! price: Int! weight: Int! }
        type Query @cacheControl(maxAge: 60) { topProducts(first: Int = 5): [Product!]! product(upc: ID!): Product }`,
      resolvers: {
        Query: {
          topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
          product: (_: unknown, { upc }: { upc: string }) => productByUpc(upc) ?? null,
        },
        Product: { __resolveReference: ({ upc }: { upc: string }) => productByUpc(upc) ?? null },
      },
    },
    {
      name: 'inventory',
      typeDefs: `${federation('key', 'external', 'requires')}
        type Product @key(fields: "upc") @cacheControl(maxAge: 60) {
          upc: ID!
          weight: Int! @external
          price: Int! @external
          inStock: Boolean!
          shippingEstimate: Int! @requires(fields: "price weight")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (reference: { upc: string }) => reference,
          inStock: ({ upc }: { upc: string }) => upc !== 'p3',
          shippingEstimate: ({ price, weight }: { price: number; weight: number }) =>
            price > 1000 ? 0 : Math.round(weight * 0.5),
        },
      },
    },
    {
      name: 'reviews',
      typeDefs: `${federation('key', 'external', 'provides')}
        type Review @cacheControl(maxAge: 60) { id: ID! body: String! product: Product! author: User! @provides(fields: "username") }
        type User @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! username: String! @external reviews: [Review!]! }
        type Product @key(fields: "upc") @cacheControl(maxAge: 60) { upc: ID! reviews: [Review!]! }`,
      resolvers: {
        Review: {
          product: (review: { productUpc: string }) => ({ upc: review.productUpc }),
          author: (review: { authorId: string }) => ({
            id: review.authorId,
            username: users.get(review.authorId)?.username,
          }),
        },
        User: {
          reviews: ({ id }: { id: string }) => reviews.filter((r) => r.authorId === id),
        },
        Product: {
          reviews: ({ upc }: { upc: string }) => reviews.filter((r) => r.productUpc === upc),
        },
      },
    },
    {
      name: 'accounts',
      typeDefs: `${federation('key', 'shareable')}
        type User @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! username: String! @shareable }
        type Query @cacheControl(maxAge: 60) { me: User user(id: ID!): User }`,
      resolvers: {
        Query: {
          me: () => users.get('u1'),
          user: (_: unknown, { id }: { id: string }) => users.get(id) ?? null,
        },
        User: { __resolveReference: ({ id }: { id: string }) => users.get(id) ?? null },
      },
    },
  ],
  queries: [
    {
      name: 'a field that @requires fields of another subgraph',
      query: '{ topProducts { name shippingEstimate } }',
    },
    {
      name: '@requires with the required fields selected too',
      query: '{ topProducts(first: 2) { upc price weight shippingEstimate inStock } }',
    },
    {
      name: 'a @provides field read from the providing subgraph',
      query: '{ topProducts { reviews { author { username } } } }',
    },
    {
      name: 'a @provides path plus a field only the owner has',
      query: '{ topProducts { reviews { author { username name } } } }',
    },
    {
      name: 'an entity list three subgraphs deep',
      query:
        '{ me { name reviews { body product { name inStock reviews { author { name } } } } } }',
    },
    {
      name: 'a root field of one subgraph, entities of three',
      query:
        '{ product(upc: "p1") { name inStock shippingEstimate reviews { body author { name } } } }',
    },
    { name: 'a null root entity', query: '{ product(upc: "zzz") { name reviews { body } } }' },
    {
      name: 'aliases across subgraphs',
      query:
        '{ cheap: product(upc: "p3") { n: name s: inStock } dear: product(upc: "p2") { n: name e: shippingEstimate } }',
    },
    {
      name: 'inline fragments on an entity',
      query: '{ topProducts { ... on Product { name } ... on Product { inStock } } }',
    },
    {
      name: 'a user by variable with nested lists',
      query: 'query ($id: ID!) { user(id: $id) { username reviews { product { name price } } } }',
      variables: { id: 'u2' },
    },
  ],
};

const subgraphError = () =>
  new GraphQLError('The ledger is closed', { extensions: { code: 'LEDGER_CLOSED' } });

/** Errors in subgraphs: coded, uncoded, nulls in non-null positions, inside lists. */
export const failures: CorpusSupergraph = {
  name: 'failures',
  subgraphs: [
    {
      name: 'orders',
      typeDefs: `${federation('key')}
        type Order @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! total: Int! note: String }
        type Query @cacheControl(maxAge: 60) {
          orders: [Order!]!
          order(id: ID!): Order
          brokenRoot: Order
          codedRoot: Order
          nonNullRoot: Order!
        }`,
      resolvers: {
        Query: {
          orders: () => [
            { id: 'o1', total: 10 },
            { id: 'o2', total: 20 },
            { id: 'o3', total: 30 },
          ],
          order: (_: unknown, { id }: { id: string }) => ({ id, total: 5 }),
          brokenRoot: () => {
            throw new Error('database exploded');
          },
          codedRoot: () => {
            throw subgraphError();
          },
          nonNullRoot: () => null,
        },
        Order: {
          __resolveReference: ({ id }: { id: string }) => ({ id, total: 5 }),
          note: ({ id }: { id: string }) => {
            if (id === 'o2') throw subgraphError();
            return `note ${id}`;
          },
        },
      },
    },
    {
      name: 'billing',
      typeDefs: `${federation('key')}
        type Order @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! invoice: Invoice paidAt: String! }
        type Invoice @cacheControl(maxAge: 60) { number: String! }`,
      resolvers: {
        Order: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          invoice: ({ id }: { id: string }) => {
            if (id === 'o3') throw new Error('billing is down');
            return { number: `INV-${id}` };
          },
          paidAt: ({ id }: { id: string }) => (id === 'o1' ? '2026-01-01' : null),
        },
      },
    },
  ],
  queries: [
    { name: 'an uncoded subgraph error at the root', query: '{ brokenRoot { id } }' },
    { name: 'a coded subgraph error at the root', query: '{ codedRoot { id } }' },
    { name: 'null in a non-null root position', query: '{ nonNullRoot { id } }' },
    { name: 'a coded error inside a list item', query: '{ orders { id note } }' },
    { name: 'an uncoded error in an entity fetch', query: '{ orders { id invoice { number } } }' },
    { name: 'null in a non-null field of an entity fetch', query: '{ orders { id paidAt } }' },
    { name: 'errors in two subgraphs at once', query: '{ orders { id note invoice { number } } }' },
    {
      name: 'a healthy entity next to a broken root',
      query: '{ order(id: "o1") { total invoice { number } } brokenRoot { id } }',
    },
  ],
};
