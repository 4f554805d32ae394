// The reference: a bare Fastify route returning a fixed JSON body (no database, no session, no validation).
import fs from 'node:fs';
import Fastify from 'fastify';

const body = JSON.parse(fs.readFileSync(process.env.BARE_BODY_FILE, 'utf8'));
const app = Fastify({ logger: false });
app.get('/api/v1/units', async () => body);
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
