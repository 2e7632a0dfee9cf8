/** The `Experiences` tag: what the SDK asks for one user. */
import { ExperienceBodySchema, ExperienceQuerySchema } from '../routes/experience'
import { ExperienceResponseSchema } from '../schemas/responses'
import type { Operation } from './types'

export const EXPERIENCE_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/v1/experience',
    summary: 'What this user should see now',
    tag: 'Experiences',
    auth: 'write',
    query: ExperienceQuerySchema,
    body: ExperienceBodySchema,
    ok: {
      status: 200,
      description: "Experiences ordered by priority, and the launcher's",
      schema: ExperienceResponseSchema,
    },
    errors: [400, 403, 413, 429],
  },
]
