#!/usr/bin/env node
// Stagecraft's launch of the stock Yjs websocket server (@y/websocket-server, the server
// y-websocket clients use) with LevelDB persistence (y-leveldb). Run it through
// scripts/sync-server, which installs it first. Everything that syncs is the engine's:
// `setupWSConnection` speaks the protocol, keeps one document per room and relays
// awareness. Ours is launch configuration only:
//   - the data folder comes from the command line (not the YPERSISTENCE variable), and
//   - a connection to a room is accepted once the room's saved state is loaded: the stock
//     server answers a new connection before its LevelDB read finishes, so a client could
//     see a saved room as empty for a moment (and `stagecraft pull` would print nothing);
//   - SIGTERM / SIGINT close LevelDB after its pending writes, so a stop loses nothing.
import http from 'node:http'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { LeveldbPersistence } from 'y-leveldb'
import { setupWSConnection, setPersistence, getYDoc } from '@y/websocket-server/utils'

const host = process.env.HOST || '127.0.0.1'
const port = Number.parseInt(process.env.PORT || '1234', 10)
const dir = process.argv[2]
if (!dir) {
  console.error('usage: server.mjs DATA_DIR  (HOST and PORT in the environment)')
  process.exit(2)
}

// The stock persistence (utils.js, YPERSISTENCE), with the load kept as a promise.
const ldb = new LeveldbPersistence(dir)
const loaded = new WeakMap()
setPersistence({
  provider: ldb,
  bindState: (name, ydoc) => {
    loaded.set(ydoc, (async () => {
      const persisted = await ldb.getYDoc(name)
      ldb.storeUpdate(name, Y.encodeStateAsUpdate(ydoc))
      Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted))
      ydoc.on('update', update => { ldb.storeUpdate(name, update) })
    })())
  },
  writeState: async () => {}
})

const wss = new WebSocket.Server({ noServer: true })
wss.on('connection', setupWSConnection)
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('okay')
})
server.on('upgrade', async (req, socket, head) => {
  const room = (req.url || '').slice(1).split('?')[0]
  try {
    await loaded.get(getYDoc(room))
  } catch (e) {
    console.error(`sync-server: could not load room ${room}:`, e)
    socket.destroy()
    return
  }
  wss.handleUpgrade(req, socket, head, ws => wss.emit('connection', ws, req))
})

const stop = async () => {
  server.close()
  await ldb.destroy()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
server.listen(port, host, () => {
  console.log(`sync-server: rooms in ${dir}, serving ws://${host}:${port}/ROOM`)
})
