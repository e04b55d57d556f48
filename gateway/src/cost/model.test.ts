import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { compose } from '@platform/composer';
import { costModelFromSdl, type CostModel } from './model.js';
import { priceOperation } from './price-operation.js';

const SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../../schema/supergraph.graphql', import.meta.url),
);

/** Both subgraphs import @cost renamed to @price (composition wants the same name in each). */
const CATALOG_SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@cost", as: "@price" }, "@listSize"])

type Query {
  products(first: Int, limit: Int): [Product!]!
    @listSize(slicingArguments: ["first", "limit"], assumedSize: 50) @price(weight: 5)
  catalog(first: Int): ProductConnection! @listSize(slicingArguments: ["first"], sizedFields: ["items"])
  search(text: String @price(weight: 8)): [Product!]! @listSize(assumedSize: 3)
}

type ProductConnection {
  items: [Product!]!
}

type Product @key(fields: "id") @price(weight: 3) {
  id: ID!
  name: String! @price(weight: 2)
  status: Status!
}

enum Status @price(weight: 4) {
  ACTIVE
  RETIRED
}
`;

const REVIEWS_SDL = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@cost", as: "@price" }, "@listSize"])

type Product @key(fields: "id") {
  id: ID!
  reviews(first: Int): [Review!]! @listSize(slicingArguments: ["first"]) @price(weight: 6)
}

type Review {
  stars: Int!
}
`;

/** A subgraph that does not import them uses the namespaced federation__ names. */
const INVENTORY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

type Query {
  warehouses(first: Int): [Warehouse!]! @federation__listSize(slicingArguments: ["first"]) @federation__cost(weight: 6)
}

type Warehouse {
  id: ID!
}
`;

let dir: string;
let supergraphSdl: string;
let namespacedSupergraphSdl: string;

/** Composes the subgraphs with the platform's composer (as `npm run compose` does). */
async function composeSubgraphs(name: string, subgraphs: Record<string, string>) {
  const lines = ['federation_version: =2.14.4', 'subgraphs:'];
  for (const [index, [subgraph, sdl]] of Object.entries(subgraphs).entries()) {
    await writeFile(path.join(dir, `${name}-${subgraph}.graphql`), sdl);
    lines.push(
      `  ${subgraph}:`,
      `    routing_url: http://127.0.0.1:${5001 + index}/graphql`,
      '    schema:',
      `      file: ./${name}-${subgraph}.graphql`,
    );
  }
  const roverYaml = path.join(dir, `${name}.yaml`);
  await writeFile(roverYaml, `${lines.join('\n')}\n`);
  return (await compose(roverYaml)).supergraphSdl;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cost-model-'));
  supergraphSdl = await composeSubgraphs('renamed', { catalog: CATALOG_SDL, reviews: REVIEWS_SDL });
  namespacedSupergraphSdl = await composeSubgraphs('namespaced', { inventory: INVENTORY_SDL });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function price(model: CostModel, query: string, variables: Record<string, unknown> = {}) {
  return priceOperation(parse(query), undefined, variables, model).cost;
}

describe('a cost model read from a composed supergraph', () => {
  it('finds @cost and @listSize under the names composition linked them with', () => {
    // what @apollo/composition 2.14 writes: the cost spec, keeping the subgraph's rename
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/cost/v0.1"');
    expect(supergraphSdl).toContain('@price(weight: 5)');

    const model = costModelFromSdl(supergraphSdl);
    expect(model.fields.get('Query.products')).toEqual({
      weight: 5,
      listSize: { slicingArguments: ['first', 'limit'], assumedSize: 50, sizedFields: [] },
    });
    expect(model.fields.get('Product.name')).toEqual({ weight: 2, listSize: undefined });
    expect(model.fields.get('Product.reviews')).toEqual({
      weight: 6,
      listSize: { slicingArguments: ['first'], assumedSize: undefined, sizedFields: [] },
    });
    expect(model.typeWeights.get('Product')).toBe(3);
    expect(model.typeWeights.get('Status')).toBe(4);
    expect(model.inputWeights.get('Query.search(text:)')).toBe(8);
  });

  it('finds them under their namespaced names when the subgraph did not import them', () => {
    expect(namespacedSupergraphSdl).toContain('@federation__cost(weight: 6)');
    const model = costModelFromSdl(namespacedSupergraphSdl);
    expect(price(model, '{ warehouses(first: 3) { id } }')).toBe(3 * 6);
  });

  it('prices operations with the weights and list sizes from the supergraph', () => {
    const model = costModelFromSdl(supergraphSdl);
    // products: field weight 5 per product, 4 products, name 2 + status 4 each
    expect(price(model, '{ products(first: 4) { name status } }')).toBe(4 * (5 + 2 + 4));
    // no slicing argument given: the assumed size 50
    expect(price(model, '{ products { id } }')).toBe(50 * 5);
    // sizedFields: catalog's first sizes its items
    expect(price(model, '{ catalog(first: 2) { items { id } } }')).toBe(1 + 2 * 3);
    // reviews cost 6 each, sliced by first, nested in products
    expect(price(model, '{ products(first: 2) { reviews(first: 3) { stars } } }')).toBe(
      2 * (5 + 3 * 6),
    );
    // the argument's @cost is charged when it is given
    expect(price(model, '{ search(text: "tea") { id } }')).toBe(3 * 3 + 8);
  });

  it('lets overrides replace weights and sizes, and lists the keys that match nothing', () => {
    const model = costModelFromSdl(supergraphSdl, {
      overrides: {
        'Query.products': { weight: 1, assumedSize: 7 },
        Product: { weight: 9 },
        'Review.stars': { weight: 1 },
        'Query.nope': { weight: 1 },
        Nope: { weight: 1 },
      },
    });
    expect(price(model, '{ products { id } }')).toBe(7 * 1);
    expect(price(model, '{ catalog(first: 2) { items { id } } }')).toBe(1 + 2 * 9);
    expect(price(model, '{ products(first: 1) { reviews(first: 2) { stars } } }')).toBe(
      1 * (1 + 2 * (6 + 1)),
    );
    expect(model.unknownOverrides).toEqual(['Query.nope', 'Nope']);
  });
});

describe('a cost model read from hand-written SDL', () => {
  it('follows a cost spec @link with its own namespace (`as:`)', () => {
    const model = costModelFromSdl(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand") { query: Query }
      directive @link(url: String, as: String, import: [String]) repeatable on SCHEMA
      directive @demand(weight: Int!) on FIELD_DEFINITION | OBJECT
      directive @demand__listSize(assumedSize: Int) on FIELD_DEFINITION
      directive @cost(weight: Int!) on FIELD_DEFINITION
      type Query {
        items: [Item!]! @demand__listSize(assumedSize: 4)
        other: Int @cost(weight: 100)
      }
      type Item @demand(weight: 3) { id: ID! }
    `);
    expect(price(model, '{ items { id } }')).toBe(4 * 3);
    // @cost is not the cost spec's name in this schema
    expect(price(model, '{ other }')).toBe(0);
  });
});

describe("a cost model read from the platform's committed supergraph", () => {
  it("prices paginated connections by their first argument, the schema's default when absent", async () => {
    const model = costModelFromSdl(await readFile(SUPERGRAPH_PATH, 'utf8'));
    const query = `{
      projects(first: 5) {
        edges { node { id documents(first: 10) { edges { node { title } } } } }
      }
    }`;
    // documents: 1 + 10 edges x (1 + 1 document) = 21
    // projects:  1 + 5 edges x (1 + (1 project + 21))
    expect(price(model, query)).toBe(1 + 5 * (1 + (1 + 21)));
    // absent first: the schema default (20) is what runs
    expect(price(model, '{ users { edges { node { id } } } }')).toBe(1 + 20 * (1 + 1));
    // a plain list without a slicing argument: the default list size
    expect(price(model, '{ apiKeys { id } }')).toBe(10 * 1);
    expect(price(model, 'mutation { deleteDocument(id: "d1") }')).toBe(10);
  });

  it('accepts a different default list size', async () => {
    const model = costModelFromSdl(await readFile(SUPERGRAPH_PATH, 'utf8'), {
      defaults: { listSize: 25 },
    });
    expect(price(model, '{ apiKeys { id } }')).toBe(25);
  });
});
