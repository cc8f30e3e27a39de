// One place that knows how streams are named: `<type>-<uuid>`.
export type StreamType = 'program' | 'participant' | 'relationship';

export const streamName = (type: StreamType, id: string): string => `${type}-${id.toLowerCase()}`;

/** The stream type and entity id of a Trustline stream name, or null for any other stream. */
export function parseStreamName(streamId: string): { type: StreamType; id: string } | null {
  const match = /^(program|participant|relationship)-([0-9a-f-]{36})$/.exec(streamId);
  return match ? { type: match[1] as StreamType, id: match[2] } : null;
}
