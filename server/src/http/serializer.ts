import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema';
import { type ZodType, z } from 'zod';

/**
 * Response serializer: the route's zod schema becomes a JSON Schema once, at start, and fast-json-stringify writes
 * responses from it. Fields outside the schema are never sent (so a presenter cannot leak a column by accident),
 * and no response is re-validated at run time: TypeScript checks what handlers return against the same schemas.
 * Measured in bench/ against the zod-parsing serializer it replaces (see docs/ARCHITECTURE.md).
 */
export const serializerCompiler: FastifySerializerCompiler<ZodType> = ({ schema }) => {
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
};
