// The public `dsp` namespace of kernel-lib (what `import * as ser from 'kernel-lib'` gives as
// `ser.dsp`): the names notebooks and users call, grouped by the paper's concepts. Everything
// else in `dsp/` stays internal (tests reach it through `kernel-lib/internal`).

// Spectra (librosa.stft / istft, amplitude_to_db / power_to_db)
export { stft, istft, amplitudeToDb, powerToDb, getWindow, dspEngine } from '../dsp';

// Frequencies and filter banks (librosa.filters, librosa.*_frequencies)
export { mel, chroma, melFrequencies, fftFrequencies, hzToMel, melToHz, hzToMidi, midiToHz } from '../dsp';
