import { describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery, GraphQLError, parse } from 'graphql';
import { costModelFromSdl } from './model.js';
import { priceBatch, priceOperation, sumMeasures } from './price-operation.js';

/**
 * A small library schema for the cost tests, using the plain (unlinked) `@cost` and `@listSize`.
 * Book costs 2 per value (type weight), every other object 1, scalars and enums 0.
 */
const LIBRARY_SDL = /* GraphQL */ `
  directive @cost(
    weight: Int!
  ) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(
    assumedSize: Int
    slicingArguments: [String!]
    sizedFields: [String!]
    requireOneSlicingArgument: Boolean = true
  ) on FIELD_DEFINITION

  type Query {
    book(id: ID!): Book
    books(first: Int, limit: Int): [Book!]! @listSize(slicingArguments: ["first", "limit"])
    recent: [Book!]! @listSize(assumedSize: 5)
    shelves: [Shelf!]!
    expensive: Int @cost(weight: 20)
    node(id: ID!): Node
    search(term: String!): [SearchResult!]! @listSize(assumedSize: 5)
    bookConnection(first: Int = 20, after: String): BookConnection!
    feed(count: Int): BookConnection! @listSize(slicingArguments: ["count"], sizedFields: ["edges"])
    page(input: PageInput): [Book!]! @listSize(slicingArguments: ["input.first"])
    rated(minStars: Int @cost(weight: 3), filter: RatingFilter): [Book!]! @listSize(assumedSize: 2)
    genre: Genre
  }

  type Mutation {
    addBook(title: String!): Book
  }

  interface Node {
    id: ID!
  }

  type Book implements Node @cost(weight: 2) {
    id: ID!
    title: String!
    author: Author!
    reviews(first: Int): [Review!]! @listSize(slicingArguments: ["first"])
  }

  type Author implements Node {
    id: ID!
    name: String!
    books: [Book!]!
  }

  type Review {
    stars: Int!
  }

  type Shelf {
    name: String!
  }

  union SearchResult = Book | Author

  type BookConnection {
    edges: [BookEdge!]!
    pageInfo: PageInfo!
  }

  type BookEdge {
    cursor: String!
    node: Book!
  }

  type PageInfo {
    hasNextPage: Boolean!
  }

  input PageInput {
    first: Int
  }

  input RatingFilter {
    verifiedOnly: Boolean @cost(weight: 4)
    language: String
  }

  enum Genre @cost(weight: 7) {
    FICTION
    HISTORY
  }
`;

const model = costModelFromSdl(LIBRARY_SDL);

function price(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  return priceOperation(parse(query), operationName, variables, model);
}

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  price(query, variables).cost;

describe('weights', () => {
  it("charges a field's @cost weight, else its return type's @cost, else 1 per object and 0 per scalar", () => {
    expect(cost('{ expensive }')).toBe(20);
    expect(cost('{ book(id: "1") { id title } }')).toBe(2);
    expect(cost('{ book(id: "1") { author { name } } }')).toBe(2 + 1);
    expect(cost('{ genre }')).toBe(7);
    expect(cost('{ __typename }')).toBe(0);
  });

  it('adds the base cost of 10 to a mutation', () => {
    expect(cost('mutation { addBook(title: "Dune") { id } }')).toBe(10 + 2);
  });

  it('charges @cost on an argument and on input fields only when a value is given', () => {
    expect(cost('{ rated { id } }')).toBe(2 * 2);
    expect(cost('{ rated(minStars: 4) { id } }')).toBe(2 * 2 + 3);
    expect(cost('{ rated(filter: { verifiedOnly: true, language: "en" }) { id } }')).toBe(
      2 * 2 + 4,
    );
    expect(
      cost('query ($f: RatingFilter) { rated(filter: $f) { id } }', {
        f: { verifiedOnly: false },
      }),
    ).toBe(2 * 2 + 4);
    expect(cost('{ rated(minStars: null) { id } }')).toBe(2 * 2);
  });
});

describe('lists', () => {
  it('multiplies a list field by its first or limit argument', () => {
    expect(cost('{ books(first: 3) { title } }')).toBe(3 * 2);
    expect(cost('{ books(limit: 7) { title } }')).toBe(7 * 2);
  });

  it('takes the largest slicing argument when several are given', () => {
    expect(cost('{ books(first: 3, limit: 7) { id } }')).toBe(7 * 2);
  });

  it("reads the slicing argument from a variable, or from the variable's default", () => {
    const query = 'query Books($n: Int = 6) { books(first: $n) { id } }';
    expect(cost(query, { n: 4 })).toBe(4 * 2);
    expect(cost(query)).toBe(6 * 2);
  });

  it('uses the assumed size when no slicing argument is usable', () => {
    expect(cost('{ recent { id } }')).toBe(5 * 2);
    // neither a usable argument nor an assumed size: the default list size, 10
    expect(cost('{ books { id } }')).toBe(10 * 2);
    expect(cost('{ books(first: -1) { id } }')).toBe(10 * 2);
    expect(cost('{ books(first: null) { id } }')).toBe(10 * 2);
    expect(cost('query ($n: Int) { books(first: $n) { id } }', { n: -5 })).toBe(10 * 2);
    expect(cost('{ shelves { name } }')).toBe(10 * 1);
  });

  it('takes the default list size from the model defaults', () => {
    const small = costModelFromSdl(LIBRARY_SDL, { defaults: { listSize: 3 } });
    expect(priceOperation(parse('{ shelves { name } }'), undefined, {}, small).cost).toBe(3);
  });

  it('clamps a huge slicing argument to the maximum list size', () => {
    expect(cost('{ books(first: 1000000000) { id } }')).toBe(1000 * 2);
    const strict = costModelFromSdl(LIBRARY_SDL, { defaults: { maxListSize: 50 } });
    const measure = priceOperation(parse('{ books(first: 999) { id } }'), undefined, {}, strict);
    expect(measure.cost).toBe(50 * 2);
  });

  it('multiplies nested lists', () => {
    // 3 books x (2 + 4 reviews x 1)
    expect(cost('{ books(first: 3) { reviews(first: 4) { stars } } }')).toBe(3 * (2 + 4 * 1));
    // 3 books x (2 + 1 author + 10 books x 2)
    expect(cost('{ books(first: 3) { author { books { id } } } }')).toBe(3 * (2 + 1 + 10 * 2));
  });

  it("sizes a connection's edges by its first argument, the schema default when absent", () => {
    const query = (args: string) =>
      `{ bookConnection${args} { edges { node { id } } pageInfo { hasNextPage } } }`;
    // 1 connection + 5 edges x (1 edge + 2 book) + 1 pageInfo
    expect(cost(query('(first: 5)'))).toBe(1 + 5 * (1 + 2) + 1);
    expect(cost(query(''))).toBe(1 + 20 * (1 + 2) + 1);
  });

  it('applies @listSize(sizedFields:) to the named child list through fragments', () => {
    const query =
      '{ feed(count: 2) { ...Edges } } fragment Edges on BookConnection { edges { node { id } } }';
    expect(cost(query)).toBe(1 + 2 * (1 + 2));
  });

  it('follows a dotted slicing argument into an input object, literal or variable', () => {
    expect(cost('{ page(input: { first: 3 }) { id } }')).toBe(3 * 2);
    expect(cost('query ($p: PageInput) { page(input: $p) { id } }', { p: { first: 4 } })).toBe(
      4 * 2,
    );
  });
});

describe('aliases and fragments', () => {
  it('cannot hide cost behind aliases: the same list aliased 10 times costs 10 times', () => {
    const once = price('{ books(first: 5) { id } }');
    const aliased = Array.from({ length: 10 }, (_, i) => `a${i}: books(first: 5) { id }`);
    const tenTimes = price(`{ ${aliased.join(' ')} }`);
    expect(tenTimes.cost).toBe(10 * once.cost);
    expect(tenTimes.aliases).toBe(10);
    expect(tenTimes.rootFields).toBe(10);
  });

  it('counts fragment spreads and inline fragments; a spread used twice counts twice', () => {
    expect(cost('{ book(id: "1") { ... on Book { author { id } } } }')).toBe(2 + 1);
    const once = '{ book(id: "1") { ...Writer } } fragment Writer on Book { author { name } }';
    const twice =
      '{ book(id: "1") { ...Writer ...Writer } } fragment Writer on Book { author { name } }';
    expect(cost(once)).toBe(2 + 1);
    expect(cost(twice)).toBe(2 + 2 * 1);
  });

  it('prices an abstract type as its most expensive possible type', () => {
    const query = `{ search(term: "x") {
      ... on Book { author { id } }
      ... on Author { books { id } }
    } }`;
    // 5 results x max(Book: 2 + 1, Author: 1 + 10 x 2)
    expect(cost(query)).toBe(5 * Math.max(2 + 1, 1 + 10 * 2));
    // Node is Book (2) or Author (1)
    expect(cost('{ node(id: "1") { id ... on Book { title } } }')).toBe(2);
    expect(
      cost('{ node(id: "1") { ...BookTitle } } fragment BookTitle on Book { author { id } }'),
    ).toBe(2 + 1);
  });

  it('counts aliases inside fragments once per spread', () => {
    const query =
      '{ book(id: "1") { ...Names ...Names } } fragment Names on Book { a: title b: id }';
    expect(price(query).aliases).toBe(4);
  });
});

describe('@skip and @include', () => {
  it('leaves out selections skipped by a literal', () => {
    const query = `{
      books(first: 3) @skip(if: true) { id }
      expensive @include(if: false)
      book(id: "1") { id ... on Book @skip(if: true) { author { id } } }
    }`;
    expect(price(query)).toEqual({ cost: 2, depth: 2, aliases: 0, rootFields: 1 });
  });

  it('decides by a variable when it has a value, and counts the selection when it has none', () => {
    const query = 'query ($s: Boolean) { expensive @skip(if: $s) }';
    expect(cost(query, { s: true })).toBe(0);
    expect(cost(query, { s: false })).toBe(20);
    expect(cost(query)).toBe(20);
  });
});

describe('depth and root fields', () => {
  it('measures depth through fragments', () => {
    const query = `{ book(id: "1") { ...A } }
      fragment A on Book { author { ...B } }
      fragment B on Author { books { id } }`;
    expect(price(query).depth).toBe(4);
    expect(price('{ expensive }').depth).toBe(1);
  });

  it('counts root fields through fragments, __typename aside', () => {
    const query = '{ __typename expensive ...Roots } fragment Roots on Query { genre a: genre }';
    expect(price(query).rootFields).toBe(3);
  });
});

describe('introspection', () => {
  it('prices __schema and __type flat and keeps their depth out of the depth measure', () => {
    const standard = price(getIntrospectionQuery());
    expect(standard).toEqual({ cost: 1, depth: 1, aliases: 0, rootFields: 1 });
    expect(cost('{ __type(name: "Book") { fields { type { fields { name } } } } }')).toBe(1);
  });
});

describe('robustness', () => {
  it('terminates on fragment cycles (refused later by validation)', () => {
    const query = `{ book(id: "1") { ...A } }
      fragment A on Book { author { ...B } }
      fragment B on Author { books { ...A } }`;
    const measure = price(query);
    expect(Number.isFinite(measure.cost)).toBe(true);
    expect(measure.depth).toBeGreaterThanOrEqual(3);
  });

  it('prices a fragment that doubles at each of 60 levels without expanding it (cost stays finite)', () => {
    const levels = 60;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on Book { author { id } }`
        : `fragment F${i} on Book { ...F${i + 1} ...F${i + 1} }`,
    );
    const measure = price(`{ book(id: "1") { ...F0 } } ${fragments.join(' ')}`);
    expect(measure.cost).toBe(Number.MAX_SAFE_INTEGER);
    expect(measure.depth).toBe(3);
  });

  it('prices fields the schema does not know by shape instead of failing', () => {
    expect(cost('{ unknown { deeper { leaf } } }')).toBe(1 + 1 + 0);
  });

  it('picks the named operation, and refuses an unknown name with BAD_REQUEST', () => {
    const document = 'query A { expensive } query B { genre }';
    expect(price(document, {}, 'B').cost).toBe(7);
    const refusal = (() => {
      try {
        price(document, {}, 'C');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions.code).toBe('BAD_REQUEST');
  });
});

describe('batches', () => {
  it('prices a batched array of operations as the sum of its operations', () => {
    const first = price('{ books(first: 3) { id } }');
    const second = price('query ($n: Int) { books(first: $n) { author { books { id } } } }', {
      n: 2,
    });
    const batch = priceBatch(
      [
        { document: parse('{ books(first: 3) { id } }') },
        {
          document: parse('query ($n: Int) { books(first: $n) { author { books { id } } } }'),
          variables: { n: 2 },
        },
      ],
      model,
    );
    expect(batch).toEqual({
      cost: first.cost + second.cost,
      depth: Math.max(first.depth, second.depth),
      aliases: 0,
      rootFields: 2,
    });
    expect(sumMeasures([])).toEqual({ cost: 0, depth: 0, aliases: 0, rootFields: 0 });
  });
});
