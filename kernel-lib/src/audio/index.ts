export { AudioError, frameSpan, SpanOptions } from './pcm';
export * from './wav';
export { AiffInfo, AiffAudio, decodeAiff, decodeAiffInfo } from './aiff';
export {
  AUDIO_EXTENSIONS,
  AudioFormat,
  AudioInfo,
  DecodedAudio,
  decodeAudio,
  decodeAudioInfo,
  sniffBytes,
  sniffFormat,
  SUPPORTED_FORMATS,
} from './decode';
export { decodeAudioBytes, readAudio, readAudioInfo, readPcmFile, readPcmFileInfo, writeWav } from './file';
export { ffmpegAvailable } from './ffmpeg';
export * from './augment';
export * from './resample';
export * from './load';
