// node-wav 0.0.2 ships no types; the WAV tests use it as the independent reference decoder.
declare module 'node-wav' {
  /** the decoded file: sample rate and one Float32Array per channel */
  export function decode(buffer: ArrayBuffer | Uint8Array): { sampleRate: number; channelData: Float32Array[] };
  export function encode(channelData: Float32Array[], opts: { sampleRate: number; float?: boolean; bitDepth?: number }): Buffer;
}
