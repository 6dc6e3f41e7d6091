#!/usr/bin/python3
"""Adds real corpus clips to test/fixtures/real (audio/ + index.json) with their librosa 0.10.2
reference 173-vectors, by the recipe of the shared fixtures (../shared/fixtures/librosa/README.md):

    y, sr = librosa.load(path, sr=22050, offset=0.5, duration=2.5, res_type='kaiser_best')
    S = |stft(y)|; mfcc(y, n_mfcc=20); chroma_stft(S=S); melspectrogram(y); spectral_contrast(S=S)
    yh = effects.harmonic(y); C = |cqt(yh, hop 512, n_bins 252, bins_per_octave 36, tuning=None,
    res_type='kaiser_best')|; tonnetz(chroma=chroma_cqt(C=C))
    features_173 = np.mean(X.T, axis=0) of each block (and in float64: features_173_f64mean)
    augmented: time_stretch(y, rate=0.8), pitch_shift(y, sr, n_steps=0.7, res_type='kaiser_best')

Run with the real librosa (../shared/toolchain.md, "The real librosa here"):

    PYTHONPATH=<librosa 0.10.2.post1 dir>:<dir with an empty soxr.py> /usr/bin/python3 \
        scripts/tools/make-real-fixtures.py <corpus root> ravdess/Actor_04/03-01-03-02-02-01-04.wav ...

The upstream resampy 0.4.2 filter tables are loaded from ../shared/fixtures/librosa/_common.
"""
import hashlib, json, os, shutil, subprocess, sys
import numpy as np
import resampy
import soundfile as sf

COMMON = os.environ.get('SER_RESAMPY_TABLES', '/work/shared/fixtures/librosa/_common/resampy_0.4.2_upstream_data/')
for name in ('kaiser_best', 'kaiser_fast'):
    f = np.load(os.path.join(COMMON, name + '.npz'))
    resampy.filters.FILTER_CACHE[name] = (f['half_window'], f['precision'], f['rolloff'])
import librosa  # noqa: E402

OUT = 'test/fixtures/real'


def blocks(y, sr):
    S = np.abs(librosa.stft(y))
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    chroma = librosa.feature.chroma_stft(S=S, sr=sr)
    mel = librosa.feature.melspectrogram(y=y, sr=sr)
    contrast = librosa.feature.spectral_contrast(S=S, sr=sr)
    yh = librosa.effects.harmonic(y)
    C = np.abs(librosa.cqt(yh, sr=sr, hop_length=512, n_bins=252, bins_per_octave=36, tuning=None, res_type='kaiser_best'))
    tonnetz = librosa.feature.tonnetz(chroma=librosa.feature.chroma_cqt(C=C, sr=sr))
    tunings = {'tuning_chroma_stft': float(librosa.estimate_tuning(S=S, sr=sr)),
               'tuning_cqt': float(librosa.estimate_tuning(y=yh, sr=sr, bins_per_octave=36))}
    return [mfcc, chroma, mel, contrast, tonnetz], tunings


def vectors(y, sr):
    bs, tunings = blocks(y, sr)
    f32 = np.hstack([np.mean(X.T, axis=0) for X in bs])
    f64 = np.hstack([np.mean(X.T.astype(np.float64), axis=0) for X in bs])
    return [float(v) for v in f32], [float(v) for v in f64], tunings


def main():
    root, rels = sys.argv[1], sys.argv[2:]
    index_file = os.path.join(OUT, 'index.json')
    index = json.load(open(index_file))
    for rel in rels:
        src = os.path.join(root, rel)
        corpus = rel.split('/')[0]
        stem = f'{corpus}_{os.path.basename(rel)[:-4]}'
        dst = os.path.join(OUT, 'audio', stem + '.wav')
        shutil.copyfile(src, dst)
        info = sf.info(dst)
        y, sr = librosa.load(dst, sr=22050, offset=0.5, duration=2.5, res_type='kaiser_best')
        f32, f64, tunings = vectors(y, sr)
        entry = {'wav': f'audio/{stem}.wav', 'sha256': hashlib.sha256(open(dst, 'rb').read()).hexdigest(),
                 'sr_native': info.samplerate, 'frames': info.frames, 'channels': info.channels, **tunings,
                 'features_173': f32, 'features_173_f64mean': f64, 'augmented': {},
                 'made_by': f'scripts/tools/make-real-fixtures.py (librosa {librosa.__version__})'}
        for name, ya in (('time_stretch_0.8', librosa.effects.time_stretch(y, rate=0.8)),
                         ('pitch_shift_0.7', librosa.effects.pitch_shift(y, sr=sr, n_steps=0.7, res_type='kaiser_best'))):
            a32, a64, _ = vectors(ya, sr)
            entry['augmented'][name] = {'features_173': a32, 'features_173_f64mean': a64}
        index['stems'][stem] = entry
        print(stem, tunings, f32[167:])
    with open(index_file, 'w') as f:
        json.dump(index, f, indent=1)
        f.write('\n')
    # numbers as JavaScript writes them (1e-7, not 1e-07), so the committed file diffs cleanly
    subprocess.run(['node', '-e', "const fs = require('fs'); const f = process.argv[1]; "
                    "fs.writeFileSync(f, JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8')), null, 1) + '\\n')", index_file], check=True)


if __name__ == '__main__':
    main()
