#!/usr/bin/python3
"""Reference vectors of the recipe's variants (issue #15 item 1; kernel-lib/src/features/recipe.ts)
for a few fixture clips, made with the real librosa 0.10.2, into test/fixtures/variants/index.json.

Each variant changes one choice of the reference recipe (make-real-fixtures.py):

    y, sr = librosa.load(path, sr=SR, offset=OFFSET, duration=DURATION, res_type=RES_TYPE)
    S = |stft(y, pad_mode=PAD)|; mfcc(y=y, sr=sr, n_mfcc=N_MFCC, pad_mode=PAD); chroma_stft(S=S, sr=sr)
    melspectrogram(y=y, sr=sr, pad_mode=PAD); spectral_contrast(S=S, sr=sr)
    yh = effects.harmonic(y, pad_mode=PAD)
    tuning = estimate_tuning(y=yh, sr=sr, bins_per_octave=36, pad_mode=PAD)   (what cqt(tuning=None) does, with PAD)
    C = |cqt(yh, sr=sr, hop_length=512, n_bins=252, bins_per_octave=36, tuning=tuning, pad_mode=PAD, res_type='kaiser_best')|
    tonnetz(chroma=chroma_cqt(C=C, sr=sr))
    vector = hstack(np.mean(X.T, axis=0) for each block)           (n_mfcc + 153 values)

(the CQT's res_type stays 'kaiser_best', the project's stand-in for librosa 0.10's soxr_hq, as in
every other fixture). The 'default' variant repeats the reference recipe: it must reproduce the
clips' features_173 of test/fixtures/real and test/fixtures/librosa.

Run with the real librosa (no arguments; the WAVs are the committed fixture files):

    PYTHONPATH=/opt/librosa-0.10.2:/opt/soxr-stub /usr/bin/python3 scripts/tools/make-variant-fixtures.py

The upstream resampy 0.4.2 filter tables are loaded from /work/shared/fixtures/librosa/_common
(SER_RESAMPY_TABLES overrides).
"""
import hashlib, json, os, subprocess
import numpy as np
import resampy

COMMON = os.environ.get('SER_RESAMPY_TABLES', '/work/shared/fixtures/librosa/_common/resampy_0.4.2_upstream_data/')
for name in ('kaiser_best', 'kaiser_fast'):
    f = np.load(os.path.join(COMMON, name + '.npz'))
    resampy.filters.FILTER_CACHE[name] = (f['half_window'], f['precision'], f['rolloff'])
import librosa  # noqa: E402

FIX = 'test/fixtures'
OUT = os.path.join(FIX, 'variants', 'index.json')
# WAVs relative to test/fixtures: RAVDESS 48 kHz mono and stereo, SAVEE 44.1 kHz, synthetic 16 kHz
CLIPS = {
    'ravdess_03-01-01-01-01-01-12': 'real/audio/ravdess_03-01-01-01-01-01-12.wav',
    'ravdess_03-01-02-01-02-02-05': 'real/audio/ravdess_03-01-02-01-02-02-05.wav',
    'savee_DC_a01': 'real/audio/savee_DC_a01.wav',
    'tts2_bath_enus-f3_16000hz': 'audio/tts2_bath_enus-f3_16000hz.wav',
}
DEFAULT = {'sr': 22050, 'offset': 0.5, 'duration': 2.5, 'res_type': 'kaiser_best', 'pad_mode': 'constant', 'n_mfcc': 20}
# name -> the choices that differ from DEFAULT (names of recipe.ts / ExtractParams in `options`)
VARIANTS = {
    'default': ({}, {}),
    'pad_reflect': ({'pad_mode': 'reflect'}, {'recipe': {'padMode': 'reflect'}}),
    'kaiser_fast': ({'res_type': 'kaiser_fast'}, {'recipe': {'resType': 'kaiser_fast'}}),
    'sr44100': ({'sr': 44100}, {'sr': 44100}),
    'n_mfcc40': ({'n_mfcc': 40}, {'recipe': {'nMfcc': 40}}),
    'offset0': ({'offset': 0.0}, {'offset': 0}),
    'duration3': ({'duration': 3.0}, {'duration': 3}),
}


def vector(path, c):
    y, sr = librosa.load(path, sr=c['sr'], offset=c['offset'], duration=c['duration'], res_type=c['res_type'])
    pad = c['pad_mode']
    S = np.abs(librosa.stft(y, pad_mode=pad))
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=c['n_mfcc'], pad_mode=pad)
    chroma = librosa.feature.chroma_stft(S=S, sr=sr)
    mel = librosa.feature.melspectrogram(y=y, sr=sr, pad_mode=pad)
    contrast = librosa.feature.spectral_contrast(S=S, sr=sr)
    yh = librosa.effects.harmonic(y, pad_mode=pad)
    tuning = float(librosa.estimate_tuning(y=yh, sr=sr, bins_per_octave=36, pad_mode=pad))
    C = np.abs(librosa.cqt(yh, sr=sr, hop_length=512, n_bins=252, bins_per_octave=36, tuning=tuning,
                           pad_mode=pad, res_type='kaiser_best'))
    tonnetz = librosa.feature.tonnetz(chroma=librosa.feature.chroma_cqt(C=C, sr=sr))
    v = np.hstack([np.mean(X.T, axis=0) for X in [mfcc, chroma, mel, contrast, tonnetz]])
    return {'n_samples': int(len(y)), 'tuning_chroma_stft': float(librosa.estimate_tuning(S=S, sr=sr)),
            'tuning_cqt': tuning, 'features': [float(x) for x in v]}


def main():
    out = {'made_by': f'scripts/tools/make-variant-fixtures.py (librosa {librosa.__version__}, resampy {resampy.__version__})',
           'default': DEFAULT, 'clips': {}, 'variants': {}}
    for stem, rel in CLIPS.items():
        path = os.path.join(FIX, rel)
        out['clips'][stem] = {'wav': rel, 'sha256': hashlib.sha256(open(path, 'rb').read()).hexdigest()}
    for name, (choices, options) in VARIANTS.items():
        c = {**DEFAULT, **choices}
        entry = {'librosa': choices, 'options': options, 'stems': {}}
        for stem, rel in CLIPS.items():
            entry['stems'][stem] = vector(os.path.join(FIX, rel), c)
            print(name, stem, len(entry['stems'][stem]['features']), entry['stems'][stem]['tuning_cqt'], flush=True)
        out['variants'][name] = entry
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(out, f)
    # numbers as JavaScript writes them, so the committed file diffs cleanly
    subprocess.run(['node', '-e', "const fs = require('fs'); const f = process.argv[1]; "
                    "fs.writeFileSync(f, JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8')), null, 1) + '\\n')", OUT], check=True)


if __name__ == '__main__':
    main()
