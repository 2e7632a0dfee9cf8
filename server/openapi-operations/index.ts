/**
 * Every operation of the API, as the OpenAPI document lists it: path, who may call, the query and
 * body the route validates with, and what it answers; one file per tag. Every route the app
 * registers must have an entry here: test/server/openapi.test.ts walks `app.routes` and fails on a
 * route without one (and on an entry without a route).
 *
 * The order is the document's: its tags and paths are listed in the order of this array.
 */
import { BUILDER_OPERATIONS } from './builder'
import { CONFIG_OPERATIONS } from './config'
import { CONSOLE_OPERATIONS } from './console'
import { EXPERIENCE_OPERATIONS } from './experiences'
import { INGEST_OPERATIONS } from './ingest'
import { JOURNEY_OPERATIONS } from './journey'
import { IDENTITY_STATUS_OPERATION, KEY_OPERATIONS } from './keys'
import { SERVICE_OPERATIONS } from './operations'
import { REPORT_OPERATIONS } from './reports'
import type { Operation } from './types'
import { WEBHOOK_OPERATIONS } from './webhooks'

export type { Operation } from './types'

export const OPERATIONS: Operation[] = [
  ...SERVICE_OPERATIONS,
  ...INGEST_OPERATIONS,
  ...EXPERIENCE_OPERATIONS,
  ...CONFIG_OPERATIONS,
  ...JOURNEY_OPERATIONS,
  ...REPORT_OPERATIONS,
  ...WEBHOOK_OPERATIONS,
  ...KEY_OPERATIONS,
  ...CONSOLE_OPERATIONS,
  IDENTITY_STATUS_OPERATION,
  ...BUILDER_OPERATIONS,
]
