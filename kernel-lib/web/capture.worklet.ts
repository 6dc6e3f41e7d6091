/**
 * The microphone's AudioWorklet processor: mixes each render quantum to mono (the mean of the
 * channels, as librosa.to_mono) at the device's rate and posts blocks of BLOCK frames to the
 * page, which keeps them in a ring buffer (kernel-lib live/ring-buffer).
 */
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: unknown): void;

const BLOCK = 2048;

class CaptureProcessor extends AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private n = 0;

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const channels = input.length;
    const frames = input[0].length;
    for (let i = 0; i < frames; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += input[c][i];
      this.block[this.n++] = s / channels;
      if (this.n === BLOCK) {
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(BLOCK);
        this.n = 0;
      }
    }
    return true;
  }
}

registerProcessor('ser-capture', CaptureProcessor);
