/**
 * What the API answers (api.md), as zod schemas: server/openapi.ts documents every response with
 * them, and test/server/openapi.test.ts parses what each route really answers with the schema
 * documented for that status. Objects are strict: a field added, renamed or dropped by a route fails
 * that test (and, for the shapes typed in TS, `tsc`: see the checks at the end of each file).
 *
 * The routes build their answers with plain code; these schemas follow the TS types they build
 * from (server/journey/*, server/reports/*, sdk/wire.ts, server/webhooks/types.ts). One file per
 * area of the API, as the document's tags group the routes; this module gathers them.
 */
export * from './error-responses'
export * from './operations-responses'
export * from './ingest-responses'
export * from './key-responses'
export * from './experience-responses'
export * from './journey-responses'
export * from './config-responses'
export * from './builder-responses'
export * from './report-responses'
export * from './webhook-responses'
