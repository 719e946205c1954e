import type { Kysely, Selectable } from 'kysely';
import type { ConversationMessagesTable, ConversationsTable, DB } from '../../db/schema.js';

export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<ConversationMessagesTable>;

/** All SQL of conversations and their messages. Every read is scoped to one user. */
export function createConversationsRepository(dialect: 'sqlite' | 'postgres') {
  return {
    insert(db: Kysely<DB>, row: ConversationRow): Promise<unknown> {
      return db.insertInto('conversations').values(row).execute();
    },

    find(db: Kysely<DB>, userId: string, id: string): Promise<ConversationRow | undefined> {
      return db
        .selectFrom('conversations')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    /** As `find`, locking the row until the transaction ends (PostgreSQL; SQLite's write transaction holds the lock). */
    findForUpdate(db: Kysely<DB>, userId: string, id: string): Promise<ConversationRow | undefined> {
      const query = db.selectFrom('conversations').selectAll().where('id', '=', id).where('user_id', '=', userId);
      return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    },

    update(db: Kysely<DB>, row: ConversationRow): Promise<unknown> {
      const { id, user_id, ...changes } = row;
      return db.updateTable('conversations').set(changes).where('id', '=', id).where('user_id', '=', user_id).execute();
    },

    /** Newest first, in (started_at desc, id desc) order, after the keyset position when given. */
    list(
      db: Kysely<DB>,
      userId: string,
      limit: number,
      after: { at: string; id: string } | undefined,
    ): Promise<ConversationRow[]> {
      let query = db.selectFrom('conversations').selectAll().where('user_id', '=', userId);
      if (after) {
        query = query.where((eb) =>
          eb.or([eb('started_at', '<', after.at), eb.and([eb('started_at', '=', after.at), eb('id', '<', after.id)])]),
        );
      }
      return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },

    insertMessages(db: Kysely<DB>, rows: MessageRow[]): Promise<unknown> {
      return db.insertInto('conversation_messages').values(rows).execute();
    },

    messages(db: Kysely<DB>, conversationId: string): Promise<MessageRow[]> {
      return db
        .selectFrom('conversation_messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('seq')
        .execute();
    },

    findMessage(db: Kysely<DB>, conversationId: string, id: string): Promise<MessageRow | undefined> {
      return db
        .selectFrom('conversation_messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** The learner message a request with this Idempotency-Key made, and the tutor's reply after it. */
    async turnByKey(db: Kysely<DB>, conversationId: string, key: string): Promise<MessageRow[]> {
      const learner = await db
        .selectFrom('conversation_messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (!learner) return [];
      const tutor = await db
        .selectFrom('conversation_messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('seq', '=', learner.seq + 1)
        .executeTakeFirst();
      return tutor ? [learner, tutor] : [learner];
    },

    /** Message counts and the last message of each conversation, for the list. */
    async lastMessages(db: Kysely<DB>, conversationIds: string[]): Promise<Map<string, string>> {
      if (conversationIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('conversation_messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select(['m.conversation_id', 'm.text'])
        .where('m.conversation_id', 'in', conversationIds)
        .whereRef('m.seq', '=', (eb) => eb.parens(eb('c.message_count', '-', 1)))
        .execute();
      return new Map(rows.map((r) => [r.conversation_id, r.text]));
    },

    /**
     * The custom scenarios among `ids` that the user may see (their own, or anybody's public one: the rule of
     * the scenarios repository's `findVisible`), in one query for a whole page of the list.
     */
  };
}

export type ConversationsRepository = ReturnType<typeof createConversationsRepository>;
