// The public `audio` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.audio`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `audio/` stays internal (tests reach it through `kernel-lib/internal`).

// Loading audio (librosa.load, soundfile.read)
export {
  load,
  loadBytes,
  readAudio,
  readAudioInfo,
  decodeAudio,
  SUPPORTED_FORMATS,
  AUDIO_EXTENSIONS,
  AudioError,
  ffmpegAvailable,
  encodeWav,
  writeWav,
} from '../audio';

// Resampling (resampy, as librosa 0.10.2 calls it)
export { resample } from '../audio';

// Augmentation (paper III.A: noise, time stretch, pitch shift)
export { addNoise, timeStretch, pitchShift, AUGMENT_DEFAULTS } from '../audio';
