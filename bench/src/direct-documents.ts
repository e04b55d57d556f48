import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';

/**
 * The data subgraph's stored document (subgraphs/data/src/repositories/records.ts
 * DocumentRecord), repeated here because the bench may not import another package's src: when
 * that shape changes, change this too.
 */
interface StoredDocument {
  _id: string;
  projectId: string;
  title: string;
  bodyJson: string | null;
  tags: string[];
  authorId: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDocument {
  projectId: string;
  authorId: string;
  title: string;
  body: unknown;
  tags: string[];
}

/**
 * BENCH_GROW_VIA=driver: other users' documents written straight into the data subgraph's
 * `documents` collection with the official driver, in its stored format, instead of through the
 * gateway (which also writes version claims, outbox entries and Kafka events, so analytics and
 * notification do not see these documents). For machines where the API path is too slow.
 */
export async function insertDocumentsDirectly(
  mongoUrl: string,
  database: string,
  documents: NewDocument[],
  batchSize = 500,
): Promise<void> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const collection = client.db(database).collection<StoredDocument>('documents');
    for (let start = 0; start < documents.length; start += batchSize) {
      const now = new Date();
      await collection.insertMany(
        documents.slice(start, start + batchSize).map((document) => ({
          _id: randomUUID(),
          projectId: document.projectId,
          title: document.title,
          bodyJson: JSON.stringify(document.body),
          tags: document.tags,
          authorId: document.authorId,
          version: 1,
          createdAt: now,
          updatedAt: now,
        })),
        { ordered: false },
      );
    }
  } finally {
    await client.close();
  }
}
