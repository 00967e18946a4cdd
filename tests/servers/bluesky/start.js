// SPDX-License-Identifier: GPL-3.0-or-later
//
// Starts, for Whitecoat's net tests, on 127.0.0.1 only and on free ports:
//
//   - a PLC directory (@did-plc/server, in memory),
//   - the reference PDS (@atproto/pds 0.4.x, PDS_DEV_MODE: http on loopback),
//   - a small app view of our own for the few app.bsky.* reads the PDS
//     proxies and does not answer itself (getFollowers, listNotifications,
//     muteActor/getMutes). It reads the real repositories from the PDS
//     (com.atproto.sync.listRepos, com.atproto.repo.listRecords), so what
//     it answers is what the PDS holds.
//
// Prints one line of JSON with the three addresses once everything
// listens, then runs until stdin closes or SIGTERM/SIGINT arrives.
//
// Two controls for tests, on the app view's port:
//   POST /_test/clock?advance=SECONDS moves this process's clock forward
//     (the PDS's too): access tokens expire as they would after two hours.
//     ?set=SECONDS sets the offset from the real time (negative: the past).
//   POST /_test/drop-next?nsid=NSID lets the PDS carry out the next call of
//     NSID and then closes the connection instead of answering: a response
//     lost on the way back.

'use strict'

// The clock first, before any module keeps a reference to Date.
const RealDate = Date
let clockOffsetMs = 0
class ShiftedDate extends RealDate {
  constructor (...args) {
    if (args.length === 0) super(RealDate.now() + clockOffsetMs)
    else super(...args)
  }

  static now () {
    return RealDate.now() + clockOffsetMs
  }
}
globalThis.Date = ShiftedDate

// An Express app's listen(port) binds every interface; bind loopback only.
const net = require('node:net')
const realListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    const port = Number(args[0])
    const rest = args.slice(1).filter((a) => typeof a === 'function')
    return realListen.call(this, port, '127.0.0.1', ...rest)
  }
  if (args[0] !== null && typeof args[0] === 'object' && !args[0].path) {
    args[0] = { ...args[0], host: '127.0.0.1' }
  }
  return realListen.apply(this, args)
}

const http = require('node:http')
const os = require('node:os')
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')

process.env.LOG_ENABLED = process.env.LOG_ENABLED || 'false'

const plc = require('@did-plc/server')
const pds = require('@atproto/pds')
const { Secp256k1Keypair } = require('@atproto/crypto')

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function getJson (url) {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  return res.json()
}

// --- The app view --------------------------------------------------------

const dropNext = new Set()

function startAppView (pdsUrlRef) {
  const mutes = new Map() // muter did → Set of muted dids

  async function repos () {
    const out = []
    let cursor
    do {
      const q = new URLSearchParams({ limit: '1000' })
      if (cursor) q.set('cursor', cursor)
      const page = await getJson(`${pdsUrlRef.url}/xrpc/com.atproto.sync.listRepos?${q}`)
      out.push(...page.repos.map((r) => r.did))
      cursor = page.cursor && page.repos.length > 0 ? page.cursor : undefined
    } while (cursor)
    return out
  }

  async function records (did, collection) {
    const out = []
    let cursor
    do {
      const q = new URLSearchParams({ repo: did, collection, limit: '100' })
      if (cursor) q.set('cursor', cursor)
      const page = await getJson(`${pdsUrlRef.url}/xrpc/com.atproto.repo.listRecords?${q}`)
      out.push(...page.records)
      cursor = page.records.length > 0 ? page.cursor : undefined
    } while (cursor)
    return out
  }

  async function profileView (did) {
    const repo = await getJson(`${pdsUrlRef.url}/xrpc/com.atproto.repo.describeRepo?repo=${encodeURIComponent(did)}`)
    const view = { did, handle: repo.handle }
    try {
      const rec = await getJson(`${pdsUrlRef.url}/xrpc/com.atproto.repo.getRecord?repo=${encodeURIComponent(did)}&collection=app.bsky.actor.profile&rkey=self`)
      if (rec.value.displayName) view.displayName = rec.value.displayName
      if (rec.value.description) view.description = rec.value.description
      if (rec.value.labels) {
        view.labels = (rec.value.labels.values || []).map((l) => ({ src: did, uri: rec.uri, val: l.val, cts: rec.value.createdAt || new Date().toISOString() }))
      }
    } catch (e) {
      // No profile record.
    }
    return view
  }

  async function resolveActor (actor) {
    if (actor.startsWith('did:')) return actor
    const res = await getJson(`${pdsUrlRef.url}/xrpc/com.atproto.identity.resolveHandle?handle=${encodeURIComponent(actor)}`)
    return res.did
  }

  // Every follow of @subject, newest first.
  async function followsOf (subject) {
    const found = []
    for (const did of await repos()) {
      for (const rec of await records(did, 'app.bsky.graph.follow')) {
        if (rec.value.subject === subject) found.push({ author: did, rec })
      }
    }
    found.sort((a, b) => (a.rec.value.createdAt < b.rec.value.createdAt ? 1 : -1))
    return found
  }

  // The PDS proxies with a service JWT whose issuer is the signed-in
  // account. This test server reads the issuer and does not check the
  // signature: it listens on loopback for one test run.
  function requester (req) {
    const auth = req.headers.authorization || ''
    const jwt = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    const parts = jwt.split('.')
    if (parts.length !== 3) return null
    try {
      return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')).iss
    } catch (e) {
      return null
    }
  }

  function send (res, status, body) {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) })
    res.end(text)
  }

  function page (items, query) {
    const limit = Math.min(Math.max(parseInt(query.get('limit') || '50', 10) || 50, 1), 100)
    const start = parseInt(query.get('cursor') || '0', 10) || 0
    const slice = items.slice(start, start + limit)
    const cursor = start + limit < items.length ? String(start + limit) : undefined
    return { slice, cursor }
  }

  async function readBody (req) {
    const chunks = []
    for await (const c of req) chunks.push(c)
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}
  }

  const handlers = {
    'app.bsky.graph.getFollowers': async (req, query) => {
      const subject = await resolveActor(query.get('actor') || '')
      const follows = await followsOf(subject)
      const { slice, cursor } = page(follows, query)
      const followers = []
      for (const f of slice) followers.push(await profileView(f.author))
      return { subject: await profileView(subject), followers, cursor }
    },
    'app.bsky.notification.listNotifications': async (req, query) => {
      const me = requester(req)
      if (!me) return [401, { error: 'AuthMissing', message: 'Authentication Required' }]
      const reasons = query.getAll('reasons')
      if (reasons.length > 0 && !reasons.includes('follow')) return { notifications: [] }
      const follows = await followsOf(me)
      const { slice, cursor } = page(follows, query)
      const notifications = []
      for (const f of slice) {
        notifications.push({
          uri: f.rec.uri,
          cid: f.rec.cid,
          author: await profileView(f.author),
          reason: 'follow',
          record: f.rec.value,
          isRead: false,
          indexedAt: f.rec.value.createdAt
        })
      }
      return { notifications, cursor }
    },
    'app.bsky.graph.muteActor': async (req, query) => {
      const me = requester(req)
      if (!me) return [401, { error: 'AuthMissing', message: 'Authentication Required' }]
      const body = await readBody(req)
      const target = await resolveActor(body.actor || '')
      if (!mutes.has(me)) mutes.set(me, new Set())
      mutes.get(me).add(target)
      return null
    },
    'app.bsky.graph.getMutes': async (req, query) => {
      const me = requester(req)
      if (!me) return [401, { error: 'AuthMissing', message: 'Authentication Required' }]
      const mutedDids = [...(mutes.get(me) || [])]
      const views = []
      for (const did of mutedDids) views.push(await profileView(did))
      return { mutes: views }
    }
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    try {
      if (url.pathname === '/_test/clock' && req.method === 'POST') {
        if (url.searchParams.has('set')) clockOffsetMs = (parseInt(url.searchParams.get('set'), 10) || 0) * 1000
        clockOffsetMs += (parseInt(url.searchParams.get('advance') || '0', 10) || 0) * 1000
        return send(res, 200, { offsetSeconds: clockOffsetMs / 1000 })
      }
      if (url.pathname === '/_test/drop-next' && req.method === 'POST') {
        dropNext.add(url.searchParams.get('nsid') || '')
        return send(res, 200, { dropping: [...dropNext] })
      }
      const m = url.pathname.match(/^\/xrpc\/([a-zA-Z0-9.]+)$/)
      const handler = m && handlers[m[1]]
      if (!handler) return send(res, 501, { error: 'MethodNotImplemented', message: `${m ? m[1] : url.pathname} is not part of this test app view` })
      const out = await handler(req, url.searchParams)
      if (Array.isArray(out)) return send(res, out[0], out[1])
      if (out === null) {
        res.writeHead(200)
        return res.end()
      }
      return send(res, 200, out)
    } catch (e) {
      return send(res, 400, { error: 'InvalidRequest', message: String(e.message || e) })
    }
  })
  return new Promise((resolve) => server.listen(0, () => resolve(server)))
}

// --- Everything ----------------------------------------------------------

async function main () {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wc-pds-'))

  const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: 0 })
  const plcHttp = await plcServer.start()
  const plcUrl = `http://127.0.0.1:${plcHttp.address().port}`

  const pdsUrlRef = { url: null }
  const appView = await startAppView(pdsUrlRef)
  const appViewUrl = `http://127.0.0.1:${appView.address().port}`

  const port = await freePort()
  const rotationKey = await Secp256k1Keypair.create({ exportable: true })
  const recoveryKey = await Secp256k1Keypair.create()
  const env = {
    devMode: true,
    port,
    hostname: 'localhost',
    dataDirectory: dataDir,
    blobstoreDiskLocation: path.join(dataDir, 'blobs'),
    didPlcUrl: plcUrl,
    recoveryDidKey: recoveryKey.did(),
    adminPassword: 'admin-pass',
    jwtSecret: crypto.randomBytes(16).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    disableSsrfProtection: true,
    bskyAppViewUrl: appViewUrl,
    bskyAppViewDid: 'did:example:whitecoat-test-appview',
    bskyAppViewCdnUrlPattern: `${appViewUrl}/img/%s/plain/%s/%s@jpeg`,
    modServiceUrl: 'http://127.0.0.1:1',
    modServiceDid: 'did:example:invalid',
    rateLimitsEnabled: false,
    serviceName: 'Whitecoat test PDS',
    version: '0.0.0'
  }
  const server = await pds.PDS.create(pds.envToCfg(env), pds.envToSecrets(env))
  const httpServer = await server.start()
  // 127.0.0.1, not localhost: Node 18 (Debian 12's) tries ::1 first when
  // /etc/hosts names both, and does not fall back to the address the PDS
  // listens on.
  pdsUrlRef.url = `http://127.0.0.1:${port}`

  // Fault injection: the PDS does the work, the answer never leaves.
  const listeners = httpServer.listeners('request')
  httpServer.removeAllListeners('request')
  httpServer.on('request', (req, res) => {
    const m = req.url.match(/^\/xrpc\/([a-zA-Z0-9.]+)/)
    if (m && dropNext.has(m[1])) {
      dropNext.delete(m[1])
      res.write = () => true
      res.end = function () {
        req.socket.destroy()
        return this
      }
    }
    for (const listener of listeners) listener.call(httpServer, req, res)
  })

  let stopping = false
  async function stop () {
    if (stopping) return
    stopping = true
    try {
      await server.destroy()
      await plcServer.destroy()
      appView.close()
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    }
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.stdin.on('end', stop)
  process.stdin.on('close', stop)
  process.stdin.resume()

  process.stdout.write(JSON.stringify({ plc: plcUrl, pds: `http://localhost:${port}`, appview: appViewUrl, handleDomain: '.test' }) + '\n')
}

main().catch((e) => {
  process.stderr.write(`bluesky test servers: ${e.stack || e}\n`)
  process.exit(1)
})
