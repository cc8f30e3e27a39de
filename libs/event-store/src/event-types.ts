import { DOMAIN_EVENTS } from './reading/event-registry';

// The schema version each stored type is written at today; the registry of
// types, versions and upcasters lives with the typed reader (reading/).
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(DOMAIN_EVENTS).map(([type, definition]) => [type, definition.version]),
);

export const schemaVersionOf = (type: string): number => {
  const version = EVENT_SCHEMA_VERSIONS[type];
  if (version === undefined) throw new Error(`No schema version registered for stored type ${type}`);
  return version;
};
