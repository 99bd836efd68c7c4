// The persisted peer's message store: one SQLite file laid out like ChatApp's (a rooms table holding each room's
// last sequence, a messages table keyed by room and sequence), each message committed in its own transaction.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function openStore(path = join(mkdtempSync(join(tmpdir(), 'chatapp-peer-')), 'peer.db')) {
  for (const suffix of ['', '-wal', '-shm']) {
    rmSync(path + suffix, { force: true });
  }
  const db = new Database(path);
  // ChatApp's SQLite database: write-ahead log, and synchronous left at its default, FULL (set here explicitly).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE rooms (
      id TEXT PRIMARY KEY,
      last_sequence INTEGER NOT NULL DEFAULT 0,
      last_message_at TEXT);
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY,
      room_id TEXT NOT NULL REFERENCES rooms (id),
      sequence INTEGER NOT NULL,
      author_id TEXT NOT NULL,
      text TEXT NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (room_id, sequence));`);
  const addRoom = db.prepare('INSERT OR IGNORE INTO rooms (id) VALUES (?)');
  const nextSequence = db.prepare('UPDATE rooms SET last_sequence = last_sequence + 1, last_message_at = ? WHERE id = ? RETURNING last_sequence');
  const insert = db.prepare('INSERT INTO messages (room_id, sequence, author_id, text, created_at) VALUES (?, ?, ?, ?, ?)');
  const count = db.prepare('SELECT count(*) AS stored FROM messages');
  // better-sqlite3 runs the function between BEGIN and COMMIT; it returns once the commit is durable.
  const append = db.transaction((room, author, text) => {
    const createdAt = new Date().toISOString();
    const { last_sequence: sequence } = nextSequence.get(createdAt, room);
    insert.run(room, sequence, author, text, createdAt);
    return { room, sequence, from: author, text, createdAt };
  });
  return {
    path,
    description: `better-sqlite3 (SQLite ${db.prepare('SELECT sqlite_version() AS v').get().v}), journal_mode=${db.pragma('journal_mode', { simple: true })}, synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][db.pragma('synchronous', { simple: true })]}`,
    addRoom: (room) => addRoom.run(room),
    append,
    stored: () => count.get().stored,
  };
}
