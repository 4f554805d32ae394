/** What other modules may read of activities: they come here, never to activities.repository. */
export { countedPersonTimes } from './coverage.service';
