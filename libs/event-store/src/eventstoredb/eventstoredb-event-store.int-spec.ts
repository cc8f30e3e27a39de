import { describeEventStoreContract } from '../event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// The EventStoreDB leg of the contract runs only against a live server, e.g.
// EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' with docker/compose.yaml.
// The contract uses fresh stream names and reads $all after its own markers,
// so a server shared with earlier runs is fine.

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIP_REASON = 'EventStoreDB leg skipped: EVENTSTORE_CONNECTION_STRING is not set';
// Round trips to a server are slower than a local file, and the contract pages through 1,500 events.
const LIVE_TEST_TIMEOUT_MS = 30_000;

if (connectionString) {
  jest.setTimeout(LIVE_TEST_TIMEOUT_MS);
  describeEventStoreContract('EventStoreDB', async () => EventStoreDbEventStore.connect(connectionString));
} else {
  // Straight to stderr: Jest drops the console output of a file whose every test is skipped.
  process.stderr.write(`${SKIP_REASON}\n`);
  it.skip(SKIP_REASON, () => undefined);
}
