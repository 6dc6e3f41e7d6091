#!/usr/bin/python3
"""Audio-format fixtures for test/formats (issue #12): small clips in every container the loader
reads, converted from the committed TTS fixtures with Debian's sox and ffmpeg, and the samples
that Debian's python3-soundfile (libsndfile) decodes from each, read as librosa 0.10.2 reads them:

    sf_desc = sf.SoundFile(path); sf_desc.seek(int(offset * sr)); y = sf_desc.read(frames=int(duration * sr),
    dtype=np.float32, always_2d=False).T; y = np.mean(y, axis=0) if y.ndim > 1   (librosa.to_mono)

Two reads per file: the whole file (offset 0) and a span (offset 0.25 s, duration 1.0 s; the
same int(offset*sr) / int(duration*sr) rule as the paper's 0.5 s / 2.5 s, on clips kept short).
M4A is read through ffmpeg as librosa's audioread fallback does (s16le at the native rate and
channel count, / 32768, then the channel mean). Writes test/fixtures/formats/<name> and
<name>.<read>.f32 (float32 little-endian) plus index.json. Run from the repository root:

    /usr/bin/python3 scripts/tools/make-format-fixtures.py

Needs: sox, ffmpeg, python3-soundfile, python3-numpy (Debian bookworm).
"""
import hashlib, json, os, struct, subprocess, sys
import numpy as np
import soundfile as sf

SRC = 'test/fixtures/audio'
OUT = 'test/fixtures/formats'
READS = {'full': (0.0, None), 'span': (0.25, 1.0)}
SECONDS = 1.5  # each fixture clip: the first 1.5 s of a TTS fixture


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ffmpeg(src, dst, *args, channels=None):
    extra = ['-ac', str(channels)] if channels else []
    run('ffmpeg', '-nostdin', '-y', '-loglevel', 'error', '-i', src, *extra, '-map_metadata', '-1',
        '-fflags', '+bitexact', '-flags:a', '+bitexact', *args, dst)


def ieee_extended(x):
    """80-bit IEEE 754 extended (AIFF COMM sample rate), for positive integers."""
    x = float(x)
    e = 0
    while x >= 2.0:
        x /= 2.0
        e += 1
    mant = int(x * (1 << 63))
    return struct.pack('>HQ', 16383 + e, mant)


def tess_like_aiff(src_wav, dst):
    """An AIFF laid out as TESS's two AIFF-in-.wav files are: FORM/AIFF with an FVER chunk
    (AIFF-C's version stamp 0xA2805140) before COMM, 16-bit big-endian mono, SSND offset 0."""
    y, sr = sf.read(src_wav, dtype='int16')
    data = y.astype('>i2').tobytes()
    fver = b'FVER' + struct.pack('>I', 4) + struct.pack('>I', 0xA2805140)
    comm = b'COMM' + struct.pack('>IhIh', 18, 1, len(y), 16) + ieee_extended(sr)
    ssnd = b'SSND' + struct.pack('>III', 8 + len(data), 0, 0) + data
    body = b'AIFF' + fver + comm + ssnd
    with open(dst, 'wb') as f:
        f.write(b'FORM' + struct.pack('>I', len(body)) + body)


def librosa_read(path, offset, duration):
    with sf.SoundFile(path) as s:
        sr = s.samplerate
        s.seek(int(offset * sr))
        frames = -1 if duration is None else int(duration * sr)
        y = s.read(frames=frames, dtype=np.float32, always_2d=False).T
        info = {'sr': sr, 'channels': s.channels, 'frames': s.frames, 'format': s.format, 'subtype': s.subtype}
    if y.ndim > 1:
        y = np.mean(y, axis=0)
    return y.astype(np.float32), info


def audioread_read(path, offset, duration):
    """librosa.load's audioread path with the ffmpeg backend: s16le, buf_to_float, to_mono."""
    probe = subprocess.run(['ffprobe', '-v', 'error', '-select_streams', 'a:0', '-show_entries',
                            'stream=sample_rate,channels', '-of', 'json', path], check=True, capture_output=True)
    st = json.loads(probe.stdout)['streams'][0]
    sr, ch = int(st['sample_rate']), int(st['channels'])
    raw = subprocess.run(['ffmpeg', '-nostdin', '-loglevel', 'error', '-i', path, '-f', 's16le', '-'],
                         check=True, capture_output=True).stdout
    y = (np.frombuffer(raw, '<i2').astype(np.float32) / np.float32(32768)).reshape(-1, ch).T
    s0 = int(np.round(sr * offset)) * ch
    y = y.T.reshape(-1)
    n = y.size if duration is None else s0 + int(np.round(sr * duration)) * ch
    y = y[s0:n].reshape(-1, ch).T
    if ch > 1:
        y = np.mean(y, axis=0)
    else:
        y = y[0]
    return y.astype(np.float32), {'sr': sr, 'channels': ch, 'frames': None, 'format': 'M4A', 'subtype': 'AAC'}


def main():
    os.makedirs(OUT, exist_ok=True)
    def trimmed(src, dst, *effects):
        run('sox', src, dst, 'trim', '0', str(SECONDS), *effects)
        return dst
    mono16 = trimmed(f'{SRC}/tts1_kids_enus-m_16000hz.wav', f'{OUT}/_mono16.wav')
    mono22 = trimmed(f'{SRC}/tts2_bath_enus-f3_44100hz.wav', f'{OUT}/_mono22.wav', 'rate', '22050')
    mono24k = trimmed(f'{SRC}/tts2_bath_enus-f3_24414hz.wav', f'{OUT}/_mono24k.wav')
    mono48 = trimmed(f'{SRC}/tts3_clock_engbrp-m3_48000hz.wav', f'{OUT}/_mono48.wav')
    other22 = trimmed(f'{SRC}/tts3_clock_engbrp-m3_44100hz.wav', f'{OUT}/_other22.wav', 'rate', '22050')
    stereo = f'{OUT}/_stereo22.wav'
    run('sox', '-M', mono22, other22, stereo)
    made = {}

    def add(name, maker, kind='lossless', reader=librosa_read):
        dst = f'{OUT}/{name}'
        maker(dst)
        made[name] = (kind, reader)

    # WAV: what the corpora and most tools write (the WAV suite has many more)
    add('stereo-s16.wav', lambda d: run('sox', stereo, '-b', '16', d))
    # AIFF and AIFF-C
    add('tess-like.aiff.wav', lambda d: tess_like_aiff(mono24k, d))
    add('mono-s16.aiff', lambda d: run('sox', mono16, '-b', '16', d))
    add('mono-s8.aiff', lambda d: run('sox', mono16, '-b', '8', d))
    add('stereo-s24.aiff', lambda d: run('sox', stereo, '-b', '24', d))
    add('mono-s32.aiff', lambda d: run('sox', mono22, '-b', '32', d))
    add('mono-sowt.aifc', lambda d: ffmpeg(mono16, d, '-c:a', 'pcm_s16le', '-f', 'aiff'))
    add('stereo-fl32.aifc', lambda d: ffmpeg(stereo, d, '-c:a', 'pcm_f32be', '-f', 'aiff'))
    add('mono-none.aifc', lambda d: run('sox', mono16, '-b', '16', '-t', 'aifc', d))
    # FLAC
    add('mono-16.flac', lambda d: run('sox', mono16, '-b', '16', d))
    add('stereo-24.flac', lambda d: run('sox', stereo, '-b', '24', d))
    add('mono-22k.flac', lambda d: ffmpeg(mono22, d, '-c:a', 'flac'))
    # lossy
    add('mono-22k.ogg', lambda d: ffmpeg(mono22, d, '-c:a', 'libvorbis', '-q:a', '4'), 'lossy')
    add('stereo-22k.ogg', lambda d: ffmpeg(stereo, d, '-c:a', 'libvorbis', '-q:a', '4'), 'lossy')
    # Opus decodes at the smallest Opus rate >= the header's input rate, as libsndfile does
    add('mono-16k.opus', lambda d: ffmpeg(mono16, d, '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'), 'lossy')
    add('mono-48k.opus', lambda d: ffmpeg(mono48, d, '-c:a', 'libopus', '-b:a', '64k', '-f', 'ogg'), 'lossy')
    add('stereo-48k.opus', lambda d: ffmpeg(stereo, d, '-c:a', 'libopus', '-b:a', '96k', '-ar', '48000', '-f', 'ogg'), 'lossy')
    add('mono-22k.mp3', lambda d: ffmpeg(mono22, d, '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '1'), 'lossy')
    add('stereo-22k.mp3', lambda d: ffmpeg(stereo, d, '-c:a', 'libmp3lame', '-b:a', '160k'), 'lossy')
    add('mono-16k.mp3', lambda d: ffmpeg(mono16, d, '-c:a', 'libmp3lame', '-b:a', '48k', '-id3v2_version', '3', '-metadata', 'title=fixture'), 'lossy')
    # only through ffmpeg (librosa's audioread fallback)
    add('mono-22k.m4a', lambda d: ffmpeg(mono22, d, '-c:a', 'aac', '-b:a', '96k'), 'ffmpeg', audioread_read)
    for f in (mono16, mono22, mono24k, mono48, other22, stereo):
        os.remove(f)

    index = {
        'made_by': 'scripts/tools/make-format-fixtures.py',
        'soundfile': sf.__version__, 'libsndfile': sf.__libsndfile_version__,
        'numpy': np.__version__,
        'ffmpeg': subprocess.run(['ffmpeg', '-version'], capture_output=True, text=True).stdout.split('\n')[0],
        'sox': subprocess.run(['sox', '--version'], capture_output=True, text=True).stdout.strip(),
        'reads': {k: {'offset': o, 'duration': d} for k, (o, d) in READS.items()},
        'files': {},
    }
    for name, (kind, reader) in sorted(made.items()):
        path = f'{OUT}/{name}'
        entry = {'kind': kind, 'bytes': os.path.getsize(path),
                 'sha256': hashlib.sha256(open(path, 'rb').read()).hexdigest(), 'reads': {}}
        for r, (off, dur) in READS.items():
            y, info = reader(path, off, dur)
            y.astype('<f4').tofile(f'{path}.{r}.f32')
            entry['reads'][r] = {'samples': int(y.size), 'file': f'{name}.{r}.f32'}
            entry.update({k: v for k, v in info.items() if v is not None})
        index['files'][name] = entry
        print(name, entry['format'], entry['subtype'], entry['sr'], entry['channels'], entry['reads']['full']['samples'])
    with open(f'{OUT}/index.json', 'w') as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
