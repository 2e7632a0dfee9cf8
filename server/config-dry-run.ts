/**
 * The dry run of a draft config (console.md, "Dry run"): what would change if the draft were
 * published now, from the stored facts. Each account's facts are loaded once (at `at`) and the
 * journey engine runs on them twice, under the published config and under the draft; the accounts
 * whose phase, health band, red flags or milestone statuses differ are listed, each with before
 * and after, and every user of every account is asked the experience decision under both, to count
 * the users each experience would newly be offered to.
 *
 * Bounded in time: accounts are taken a few at once, in the order of a hash of their ids (the same
 * order every time, unrelated to how ids were chosen), and none is started once `budgetMs` has
 * passed; the answer then says `complete: false` and how many accounts were examined out of how
 * many. The counts are those of the examined ones: a sample spread over the workspace, not its
 * first ids (which often share an age or an import), so scaling them by total / examined is a fair
 * estimate. An account's users beyond
 * MAX_USERS_PER_ACCOUNT are left out of the experience counts (`usersSkipped`): one account with
 * thousands of users must not take the whole budget.
 */
import { journeyContext, stateOf } from './journey'
import type { JourneyConfig, JourneyState } from './journey'
import { decideExperiencesOfUsers } from './journey/decide-experiences'
import type { Store } from './store/types'

/** The default time budget of a dry run, ms. */
export const DRY_RUN_BUDGET_MS = 10_000
/** Accounts listed at most (the counts cover every examined account). */
export const MAX_LISTED_ACCOUNTS = 1_000
/** Users of one account asked the experience decision at most. */
export const MAX_USERS_PER_ACCOUNT = 1_000
/** loadFacts calls in flight at once (as the evaluator's sweep). */
const CONCURRENCY = 8

export interface Change<T> {
  before: T
  after: T
}

/** One account the draft would change. Only what changes is present. */
export interface DryRunAccount {
  accountId: string
  phase?: Change<string>
  band?: Change<string>
  redFlags?: Change<string[]>
  milestones?: ({ id: string } & Change<string | null>)[]
}

export interface DryRunResult {
  /** ISO-8601 of the time the states were computed for. */
  at: string
  /** false: the time budget ran out; the counts are those of the `examined` accounts. */
  complete: boolean
  examined: number
  total: number
  budgetMs: number
  /** How many examined accounts would change, in all and by kind. */
  changed: { accounts: number; phase: number; band: number; redFlags: number; milestones: number }
  /** The accounts that would change, in id order, at most MAX_LISTED_ACCOUNTS. */
  accounts: DryRunAccount[]
  /** More accounts would change than are listed. */
  truncated: boolean
  /** Per experience id, the users it would be offered to now under the draft and is not under the published config. */
  experiences: { id: string; kind: string; users: number }[]
  /** Users left out of the experience counts (accounts with more than MAX_USERS_PER_ACCOUNT). */
  usersSkipped: number
}

export interface DryRunInput {
  store: Store
  workspaceId: string
  published: JourneyConfig
  draft: JourneyConfig
  /** Epoch ms: now. */
  at: number
  budgetMs?: number
  /** Monotonic ms for the budget; default performance.now (tests pass a fake one). */
  timer?: () => number
}

/** FNV-1a, 32 bits: the examination order (a sample when the budget runs out). */
function hashOf(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/** What differs between two states of one account, or null when nothing the dry run looks at does. */
export function accountChange(accountId: string, before: JourneyState, after: JourneyState): DryRunAccount | null {
  const out: DryRunAccount = { accountId }
  if (before.phase.id !== after.phase.id) out.phase = { before: before.phase.id, after: after.phase.id }
  if (before.health.band !== after.health.band) out.band = { before: before.health.band, after: after.health.band }
  const flagsBefore = before.redFlags.map((f) => f.id).sort()
  const flagsAfter = after.redFlags.map((f) => f.id).sort()
  if (!sameList(flagsBefore, flagsAfter)) out.redFlags = { before: flagsBefore, after: flagsAfter }
  const statusAfter = new Map(after.milestones.map((m) => [m.id as string, m.status as string]))
  const statusBefore = new Map(before.milestones.map((m) => [m.id as string, m.status as string]))
  const milestones: ({ id: string } & Change<string | null>)[] = []
  for (const id of new Set([...statusBefore.keys(), ...statusAfter.keys()])) {
    const b = statusBefore.get(id) ?? null
    const a = statusAfter.get(id) ?? null
    if (a !== b) milestones.push({ id, before: b, after: a })
  }
  if (milestones.length > 0) out.milestones = milestones
  return Object.keys(out).length > 1 ? out : null
}

/** The dry run of `draft` against `published` over the workspace's accounts, within the budget. */
export async function dryRunConfig({
  store,
  workspaceId,
  published,
  draft,
  at,
  budgetMs = DRY_RUN_BUDGET_MS,
  timer = () => performance.now(),
}: DryRunInput): Promise<DryRunResult> {
  const started = timer()
  const ids = (await store.listAccountIds(workspaceId))
    .map((id) => ({ id, h: hashOf(id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .map((x) => x.id)
  const changes: DryRunAccount[] = []
  const offered = new Map<string, { kind: string; users: number }>()
  let examined = 0
  let usersSkipped = 0
  let next = 0
  let outOfTime = false

  const examine = async (accountId: string) => {
    const facts = await store.loadFacts(workspaceId, accountId, at)
    // No event at or before `at`: no state under either config.
    if (facts === null) return
    // One context and one state per config, shared by the comparison and every user's decision.
    const ctxNow = journeyContext(published, facts, at)
    const ctxThen = journeyContext(draft, facts, at)
    const stateNow = stateOf(ctxNow)
    const stateThen = stateOf(ctxThen)
    const change = accountChange(accountId, stateNow, stateThen)
    if (change) changes.push(change)
    const users = facts.users.slice(0, MAX_USERS_PER_ACCOUNT).map((u) => ({ userId: u.userId }))
    usersSkipped += facts.users.length - users.length
    if (users.length === 0) return
    const now = decideExperiencesOfUsers(ctxNow, stateNow, users)
    const then = decideExperiencesOfUsers(ctxThen, stateThen, users)
    then.forEach((decision, i) => {
      const before = new Set(now[i]!.experiences.map((e) => e.id))
      for (const e of decision.experiences) {
        if (before.has(e.id)) continue
        const entry = offered.get(e.id) ?? { kind: e.kind, users: 0 }
        entry.users++
        offered.set(e.id, entry)
      }
    })
  }

  const worker = async () => {
    while (next < ids.length) {
      if (timer() - started >= budgetMs) {
        outOfTime = true
        return
      }
      const id = ids[next++]!
      await examine(id)
      examined++
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker))

  changes.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0))
  const count = (has: (c: DryRunAccount) => boolean) => changes.filter(has).length
  return {
    at: new Date(at).toISOString(),
    complete: !outOfTime && examined === ids.length,
    examined,
    total: ids.length,
    budgetMs,
    changed: {
      accounts: changes.length,
      phase: count((c) => c.phase !== undefined),
      band: count((c) => c.band !== undefined),
      redFlags: count((c) => c.redFlags !== undefined),
      milestones: count((c) => c.milestones !== undefined),
    },
    accounts: changes.slice(0, MAX_LISTED_ACCOUNTS),
    truncated: changes.length > MAX_LISTED_ACCOUNTS,
    experiences: [...offered]
      .map(([id, { kind, users }]) => ({ id, kind, users }))
      .sort((a, b) => b.users - a.users || (a.id < b.id ? -1 : 1)),
    usersSkipped,
  }
}
