/** What other modules may read of the registries: they come here, never to registries.repository. */
export { recognitionRows } from './registries.repository';
