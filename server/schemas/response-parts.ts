/** What every response schema file shares: the scalars, and the check that a schema and its TS type agree. */
import { z } from 'zod'

export const iso = z.string().describe('ISO-8601 date-time (UTC)')
export const int = z.number().int()
export const count = z.number().int().min(0)

/** true when each of A and B is assignable to the other: a field added, dropped or retyped on either side makes it false. */
export type Agree<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
