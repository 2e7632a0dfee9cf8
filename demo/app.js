// The demo customer's own front end: a tiny SPA with history routing. It knows nothing of Jornada
// but the documented calls on window.jornada (api.md), exactly as a customer's code would.
const user = {
  id: 'user-42',
  traits: { email: 'ana@acme.example', name: 'Ana Souza', role: 'admin', stakeholder: true },
}
// The time machine (below) moves Ana to a new account at another point of the journey; the demo
// remembers it across reloads, as a real app remembers who is signed in.
const saved = JSON.parse(localStorage.getItem('relata:account') || 'null')
const account = saved || { id: 'acme', traits: { name: 'Acme Ltda', segment: 'smb', plan: 'pro', seats: 12 } }

// With identity verification on, the server renders proof of who is signed in (docs/security.md):
// the user's hash, and a token naming their accounts. After time travel the token of the new
// account, which the time machine answered with, is the one to use.
const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || undefined
const proof = { userHash: meta('relata-user-hash'), userToken: account.userToken || meta('relata-user-token') }
jornada('identify', user.id, user.traits, proof.userHash || proof.userToken ? proof : undefined)
jornada('group', account.id, account.traits)

const who = document.getElementById('who')
const showWho = () => {
  who.textContent = `Signed in as ${user.traits.name} (${user.id}) · account ${account.traits.name} (${account.id})`
}
showWho()

const pages = {
  '/': {
    title: 'Dashboard',
    cards: [
      {
        h: 'Monthly report',
        p: 'Generate the report your team reviews every Monday.',
        action: 'Generate report',
        feature: 'reports',
        event: 'report_generated',
      },
      {
        h: 'Invite your team',
        p: 'Relata works best with everyone on board.',
        action: 'Invite a teammate',
        feature: 'team',
        event: 'teammate_invited',
      },
    ],
  },
  '/reports': {
    title: 'Reports',
    cards: [
      {
        h: 'Sales by region',
        p: 'A new report from your connected data.',
        action: 'Generate report',
        feature: 'reports',
        event: 'report_generated',
      },
      {
        h: 'Export',
        p: 'Download the current report as CSV.',
        action: 'Export CSV',
        feature: 'export',
        event: 'report_exported',
      },
    ],
  },
  // Loaded from a slow API, as real apps do: guides must wait for what renders late.
  '/alerts': {
    title: 'Alerts',
    lateMs: 2000,
    cards: [
      {
        h: 'Revenue drop',
        p: 'Be told when daily revenue falls by 20%.',
        action: 'Create alert',
        feature: 'alerts',
        event: 'alert_created',
      },
    ],
  },
  '/settings': {
    title: 'Settings',
    cards: [
      {
        h: 'Setup',
        p: 'Connect your data source to finish setup.',
        action: 'Finish setup',
        feature: 'setup',
        event: 'setup_completed',
      },
    ],
  },
}

const view = document.getElementById('view')

function render(path) {
  const page = pages[path] || pages['/']
  document.title = `${page.title} — Relata`
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === path) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  const h1 = document.createElement('h1')
  h1.textContent = page.title
  const cards = document.createElement('div')
  cards.className = 'cards'
  if (page.lateMs && !render.loaded?.[path]) {
    const wait = document.createElement('p')
    wait.textContent = `Loading ${page.title.toLowerCase()}…`
    view.replaceChildren(h1, wait)
    setTimeout(() => {
      if (location.pathname !== path) return
      ;(render.loaded ||= {})[path] = true
      render(path)
      render.loaded[path] = false
    }, page.lateMs)
    return
  }
  for (const c of page.cards) {
    const card = document.createElement('section')
    card.className = 'card'
    const h = document.createElement('h2')
    h.textContent = c.h
    const p = document.createElement('p')
    p.textContent = c.p
    const b = document.createElement('button')
    b.type = 'button'
    b.textContent = c.action
    b.dataset.feature = c.feature
    const log = document.createElement('p')
    log.className = 'log'
    log.setAttribute('role', 'status')
    b.addEventListener('click', () => {
      jornada('track', 'feature_used', { feature: c.feature })
      jornada('track', c.event, {})
      log.textContent = `Tracked feature_used {feature: "${c.feature}"} and ${c.event}`
    })
    card.append(h, p, b, log)
    cards.append(card)
  }
  view.replaceChildren(h1, cards)
}

document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[data-route]') : null
  if (!a || e.metaKey || e.ctrlKey) return
  e.preventDefault()
  const path = a.getAttribute('href')
  if (path !== location.pathname) history.pushState({}, '', path)
  render(path)
  view.focus()
})
addEventListener('popstate', () => render(location.pathname))
render(location.pathname)

// Delivery counters in the footer, from the SDK's own events.
let queued = 0
let sent = 0
jornada('on', 'track', () => {
  document.getElementById('queued').textContent = String(++queued)
})
jornada('on', 'sent', (e) => {
  sent += e.count
  document.getElementById('sent').textContent = String(sent)
})

// Time machine: the server imports a scripted history for a new account whose contract started N
// days ago (server/demo.ts); the app then switches Ana to it, and Jornada asks what to show.
const tm = document.getElementById('time-machine-status')
for (const b of document.querySelectorAll('[data-stage]')) {
  b.addEventListener('click', async () => {
    tm.textContent = 'Travelling…'
    const res = await fetch('/demo/time-machine', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ stage: b.dataset.stage }),
    })
    if (!res.ok) {
      tm.textContent = `The time machine failed (${res.status}).`
      return
    }
    const jump = await res.json()
    account.id = jump.accountId
    if (jump.userToken) {
      account.userToken = jump.userToken
      jornada('identify', user.id, user.traits, { ...proof, userToken: jump.userToken })
    }
    localStorage.setItem('relata:account', JSON.stringify(account))
    localStorage.setItem('relata:stage', JSON.stringify(jump))
    jornada('group', account.id, { name: account.traits.name })
    showWho()
    tm.textContent = `Day ${jump.day} of account ${jump.accountId}. Expect: ${jump.expect}.`
  })
}
const last = JSON.parse(localStorage.getItem('relata:stage') || 'null')
if (last && saved) tm.textContent = `Day ${last.day} of account ${last.accountId}. Expect: ${last.expect}.`
document.getElementById('tour').addEventListener('click', () => jornada('show', 'reports-tour'))
