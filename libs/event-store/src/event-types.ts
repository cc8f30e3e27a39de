import { DOMAIN_EVENTS } from './reading/event-registry';

// The schema version each stored type is written at today; the registry of
// types, versions and upcasters lives with the typed reader (reading/).
export const schemaVersionOf = (type: string): number => {
  const definition = (DOMAIN_EVENTS as Readonly<Record<string, { version: number }>>)[type];
  if (definition === undefined) throw new Error(`No schema version registered for stored type ${type}`);
  return definition.version;
};
