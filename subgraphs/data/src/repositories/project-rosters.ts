import { MongoServerError, type Collection } from 'mongodb';
import type { RosterBlockRecord } from './records.js';
import type { StoreQuery } from './store-query.js';

/** Members per roster block: about 6 KB a block. */
export const ROSTER_BLOCK = 100;

const DUPLICATE_KEY = 11000;

const blockId = (projectId: string, block: number) => `${projectId}:${block}`;

/** A member's place in a project's roster: a Project.members cursor. */
export interface RosterPosition {
  block: number;
  index: number;
  userId: string;
}

export function isRosterPosition(value: unknown): value is RosterPosition {
  const candidate = value as Partial<RosterPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Number.isSafeInteger(candidate.block) &&
    Number.isSafeInteger(candidate.index) &&
    typeof candidate.userId === 'string'
  );
}

export interface RosterMember {
  userId: string;
  joinedAt: Date;
  position: RosterPosition;
}

export interface ProjectRosterRepository {
  /** Every block of the project, in order. */
  blocksOf(projectId: string): Promise<RosterBlockRecord[]>;
  /** Every member's user id in join order (an event's recipients). */
  userIdsOf(projectId: string): Promise<string[]>;
  /** Up to `limit` members after `after` (from the start without), in join order. */
  page(
    projectId: string,
    after: RosterPosition | undefined,
    limit: number,
  ): Promise<RosterMember[]>;
  /**
   * Appends a member to the last block, or a new one when it is full; `blocks` is the roster as
   * the caller, who holds the project's next version claim, has just read it.
   */
  append(
    projectId: string,
    blocks: RosterBlockRecord[],
    member: { userId: string; joinedAt: Date },
  ): Promise<void>;
  /** Removes the member from every block of `blocks` that holds them (claim held, as append). */
  remove(blocks: RosterBlockRecord[], userId: string): Promise<void>;
  removeAllOf(projectId: string): Promise<void>;
}

export function projectRosterRepository(
  collection: Collection<RosterBlockRecord>,
  query: StoreQuery,
): ProjectRosterRepository {
  const findBlock = (projectId: string, block: number) =>
    query(collection, 'findOne', () => collection.findOne({ _id: blockId(projectId, block) }));

  const blocksOf = async (projectId: string) =>
    (await query(collection, 'find', () => collection.find({ projectId }).toArray())).sort(
      (a, b) => a.block - b.block,
    );
  return {
    blocksOf,

    userIdsOf: async (projectId) =>
      (await blocksOf(projectId)).flatMap((block) => block.members.map(({ userId }) => userId)),

    // Blocks are read one by one by id from the cursor's on; numbering has no gaps (a block is
    // never deleted while its project exists), so a missing block is the end.
    async page(projectId, after, limit) {
      const members: RosterMember[] = [];
      for (let block = after?.block ?? 0; members.length < limit; block++) {
        const record = await findBlock(projectId, block);
        if (!record) break;
        let start = 0;
        if (after && block === after.block) {
          const found = record.members.findIndex((member) => member.userId === after.userId);
          // The cursor's member left meanwhile: the members before them moved up by one.
          start = found >= 0 ? found + 1 : Math.min(after.index, record.members.length);
        }
        record.members.slice(start).forEach((member, offset) => {
          if (members.length < limit) {
            members.push({
              ...member,
              position: { block, index: start + offset, userId: member.userId },
            });
          }
        });
      }
      return members;
    },

    async append(projectId, blocks, member) {
      const last = blocks.at(-1);
      if (last && last.members.length < ROSTER_BLOCK) {
        await query(collection, 'updateOne', () =>
          collection.updateOne({ _id: last._id }, { $set: { members: [...last.members, member] } }),
        );
        return;
      }
      const block = last ? last.block + 1 : 0;
      try {
        await query(collection, 'insertOne', () =>
          collection.insertOne({
            _id: blockId(projectId, block),
            projectId,
            block,
            members: [member],
          }),
        );
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
        // A writer that died between creating this block and its claim's version: join it.
        const existing = await findBlock(projectId, block);
        await query(collection, 'updateOne', () =>
          collection.updateOne(
            { _id: blockId(projectId, block) },
            { $set: { members: [...(existing?.members ?? []), member] } },
          ),
        );
      }
    },

    async remove(blocks, userId) {
      for (const block of blocks) {
        if (!block.members.some((member) => member.userId === userId)) continue;
        const members = block.members.filter((member) => member.userId !== userId);
        await query(collection, 'updateOne', () =>
          collection.updateOne({ _id: block._id }, { $set: { members } }),
        );
      }
    },

    async removeAllOf(projectId) {
      await query(collection, 'deleteMany', () => collection.deleteMany({ projectId }));
    },
  };
}
