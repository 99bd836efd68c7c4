// Drives the Socket.IO peer with ChatApp's scenarios and measurement: each message carries a token, the
// sender notes the time it emitted it, and every recipient the time the message arrived.
//   node driver.js s1 --url http://127.0.0.1:5090 --users 10000 --mode plain --out result.json
//   node driver.js s2 --url http://127.0.0.1:5090 --users 1000 --rate 10 --seconds 30 --warm-up 30 --mode checked|persisted --out result.json
import { io } from 'socket.io-client';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [scenario, ...rest] = process.argv.slice(2);
const options = {};
for (let i = 0; i + 1 < rest.length; i += 2) {
  options[rest[i].replace(/^--/, '')] = rest[i + 1];
}
const url = options.url ?? 'http://127.0.0.1:5090';
const mode = options.mode ?? 'plain';
const users = Number(options.users ?? 100);
const room = 'team-0';
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function stats(gc = false) {
  return (await fetch(`${url}/stats${gc ? '?gc=1' : ''}`)).json();
}

async function connect(i) {
  let auth;
  if (mode !== 'plain') {
    const session = await (await fetch(`${url}/session?user=user${i}&room=${room}`, { method: 'POST' })).json();
    auth = { token: session.token };
  }
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.emit('join', room);
  return socket;
}

async function connectAll(count) {
  const sockets = new Array(count);
  let next = 0;
  const started = now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < count) {
      const i = next++;
      sockets[i] = await connect(i);
    }
  }));
  console.log(`connected ${count} sockets in ${((now() - started) / 1000).toFixed(1)} s`);
  return sockets;
}

function percentile(sorted, share) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

async function density() {
  const before = await stats(true);
  const sockets = await connectAll(users);
  await sleep(5000);
  const after = await stats(true);
  const result = {
    scenario: 'S1', peer: mode, connections: sockets.length, liveConnections: after.sockets,
    rssBeforeBytes: before.rssBytes, rssAfterBytes: after.rssBytes,
    heapBeforeBytes: before.heapUsedBytes, heapAfterBytes: after.heapUsedBytes,
    rssPerConnectionBytes: (after.rssBytes - before.rssBytes) / Math.max(1, after.sockets),
    heapPerConnectionBytes: (after.heapUsedBytes - before.heapUsedBytes) / Math.max(1, after.sockets),
  };
  console.log(`S1 ${mode}: ${after.sockets} sockets, RSS ${(result.rssPerConnectionBytes / 1024).toFixed(0)} KB/connection`);
  sockets.forEach((s) => s.close());
  return result;
}

async function run(sockets, rate, seconds, label, latencies) {
  const sent = new Map();
  let expected = 0;
  let received = 0;
  for (const socket of sockets) {
    socket.on('message', (message) => {
      const at = now();
      const token = message.text.split(' ')[0];
      const t = sent.get(token);
      if (t !== undefined) {
        received++;
        latencies?.push(at - t);
      }
    });
  }
  const count = Math.floor(rate * seconds);
  const started = now();
  for (let m = 0; m < count; m++) {
    const due = started + (1000 * m) / rate;
    if (due > now()) {
      await sleep(due - now());
    }
    const token = `${label}${m}z`;
    expected += sockets.length;
    sent.set(token, now());
    sockets[m % sockets.length].emit('message', room, `${token} fan-out message ${m}`);
  }
  const window = (now() - started) / 1000;
  const grace = now();
  while (received < expected && now() - grace < 30000) {
    await sleep(50);
  }
  for (const socket of sockets) {
    socket.removeAllListeners('message');
  }
  return { expected, received, window, count };
}

async function fanOut() {
  const rate = Number(options.rate ?? 10);
  const seconds = Number(options.seconds ?? 30);
  const warmUp = Number(options['warm-up'] ?? 30);
  const sockets = await connectAll(users);
  await run(sockets, rate, warmUp, 'w', null);   // warm-up, as for ChatApp
  const latencies = [];
  const before = await stats();
  const driverCpu = process.cpuUsage();
  const started = now();
  const { expected, received, window, count } = await run(sockets, rate, seconds, 'f', latencies);
  const driverUsed = process.cpuUsage(driverCpu);
  const after = await stats();
  latencies.sort((a, b) => a - b);
  const result = {
    scenario: 'S2', peer: mode, users, messagesPerSecond: rate, messages: count, warmUpSeconds: warmUp, durationSeconds: window,
    expectedDeliveries: expected, deliveries: received, lost: expected - received,
    deliveriesPerSecond: received / window,
    latency: { Samples: latencies.length, P50Ms: percentile(latencies, 0.5), P99Ms: percentile(latencies, 0.99), MaxMs: latencies.at(-1) ?? null },
    serverCpuPercent: (100 * (after.cpuSeconds - before.cpuSeconds)) / ((now() - started) / 1000),
    serverCpuMicrosecondsPerDelivery: (1e6 * (after.cpuSeconds - before.cpuSeconds)) / Math.max(1, received),
    driverCpuPercent: (100 * (driverUsed.user + driverUsed.system) / 1e6) / ((now() - started) / 1000),
    serverRssBytes: after.rssBytes,
  };
  if (after.store) {
    // Every message sent, warm-up included, must be in the database.
    result.messagesSent = count + Math.floor(warmUp * rate);
    result.storedMessages = after.storedMessages;
    result.store = after.store;
  }
  console.log(`S2 ${mode} N=${users}: p50 ${result.latency.P50Ms?.toFixed(1)} ms, p99 ${result.latency.P99Ms?.toFixed(1)} ms, lost ${result.lost}, CPU ${result.serverCpuPercent.toFixed(0)}%`);
  sockets.forEach((s) => s.close());
  return result;
}

const result = scenario === 's1' ? await density() : await fanOut();
if (options.out) {
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify({
    label: options.label ?? `peer-${scenario}`,
    measuredAt: new Date().toISOString(),
    machine: { cpus: (await import("node:os")).cpus().length, memoryGb: Math.round((await import("node:os")).totalmem() / 1e8) / 10, os: process.platform, runtime: `node ${process.version}` },
    serverConfiguration: `socket.io 4.8.4, mode ${mode}${result.store ? `, ${result.store}` : ''}`,
    result,
  }, null, 2));
  console.log(`wrote ${options.out}`);
}
process.exit(0);
