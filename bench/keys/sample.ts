/** One encrypted room event of the generated year, with where and when it was sent. */
export interface SampleEvent {
  week: number;
  roomId: string;
  sessionId: string;
  event: Record<string, unknown>;
}
