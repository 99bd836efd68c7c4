// The Socket.IO chat from ChatApp's origin story, for side-by-side benchmarks.
//   node --expose-gc server.js <port> plain|checked|persisted [database file]
// plain:     anyone may connect, join any room and broadcast to it (the classic tutorial chat).
// checked:   the minimum of what ChatApp does: a session token checked on connect (a lookup, as a session store
//            would), and a room-membership check on join and on every message. Stores nothing.
// persisted: checked, plus what ChatApp does per message: it is committed to SQLite (WAL, synchronous=FULL, as
//            ChatApp's database) with the room's next sequence before it is sent, and membership is checked for
//            every recipient at delivery instead of one broadcast to the room.
// GET /stats answers memory (after a full GC when ?gc=1), CPU time and connected sockets.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 5090);
const mode = process.argv[3] ?? 'plain';
const checked = mode === 'checked' || mode === 'persisted';
const store = mode === 'persisted' ? (await import('./store.js')).openStore(process.argv[4]) : null;
const sessions = new Map();   // token -> user id; "signed in" through POST /session
const members = new Map();    // room -> Set of user ids

const http = createServer((request, response) => {
  const url = new URL(request.url, 'http://localhost');
  if (url.pathname === '/stats') {
    if (url.searchParams.get('gc') === '1' && global.gc) {
      global.gc();
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      sockets: io.engine.clientsCount,
      store: store?.description,
      storedMessages: store?.stored(),
    }));
    return;
  }
  if (url.pathname === '/session' && request.method === 'POST') {
    // Test-only sign-in: the driver registers a user, a token and the room they belong to.
    const user = url.searchParams.get('user');
    const room = url.searchParams.get('room');
    const token = `${user}.${Math.random().toString(36).slice(2)}`;
    sessions.set(token, user);
    if (!members.has(room)) {
      members.set(room, new Set());
      store?.addRoom(room);
    }
    members.get(room).add(user);
    response.end(JSON.stringify({ token }));
    return;
  }
  response.statusCode = 404;
  response.end();
});

const io = new Server(http, { transports: ['websocket'], serveClient: false });

if (checked) {
  io.use((socket, next) => {
    const user = sessions.get(socket.handshake.auth?.token);
    if (!user) {
      return next(new Error('not signed in'));
    }
    socket.data.user = user;
    next();
  });
}

io.on('connection', (socket) => {
  socket.on('join', (room) => {
    if (checked && !members.get(room)?.has(socket.data.user)) {
      return;
    }
    socket.join(room);
  });
  socket.on('message', (room, text) => {
    if (checked && !members.get(room)?.has(socket.data.user)) {
      return;
    }
    if (!store) {
      io.to(room).emit('message', { room, text, from: socket.data.user ?? socket.id });
      return;
    }
    const message = store.append(room, socket.data.user, text);
    // Per recipient: a member removed after joining stops receiving at once, as ChatApp checks each reader.
    const readers = members.get(room);
    for (const id of io.sockets.adapter.rooms.get(room) ?? []) {
      const recipient = io.sockets.sockets.get(id);
      if (recipient && readers?.has(recipient.data.user)) {
        recipient.emit('message', message);
      }
    }
  });
});

http.listen(port, '127.0.0.1', () => console.log(`peer (${mode}) on ${port}${store ? `, messages in ${store.path}` : ''}`));
