// The export's last stages off the main thread, as Orbitr.Dsp ends a render: the auto tail (every frame of the
// pattern's span, then up to the last frame above the silence level: TailTrim, RenderOptions.SilenceDb, sent with
// each message as silenceDb) and canonical RIFF/WAVE encoding (WavWriter:
// 16/24-bit PCM rounded half away from zero and clipped, NaN → 0; or 32-bit float as-is, with fmt 18 + fact).
onmessage = (e) => {
  if (e.data.stems) {
    stems(e.data);
    return;
  }
  const { left, right, spanFrames, bits, sampleRate, silenceDb, loop } = e.data;
  const SILENCE = Math.fround(Math.pow(10, silenceDb / 20)); // C#: (float)Math.Pow(10, SilenceDb / 20)
  let end = Math.min(spanFrames, left.length);
  for (let i = left.length - 1; i >= end; i--) {
    if (Math.abs(left[i]) > SILENCE || Math.abs(right[i]) > SILENCE) { end = i + 1; break; }
  }
  let peak = 0;
  for (let i = 0; i < end; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  // A loop is exactly its span, and says where it loops (WavStreamWriter.Loop: a smpl chunk after the audio).
  if (loop) end = Math.min(spanFrames, left.length);
  const bytes = encode(left.subarray(0, end), right.subarray(0, end), bits, sampleRate, loop);
  postMessage({ bytes, frames: end, peak }, [bytes]);
};

const SMPL_BYTES = 8 + 36 + 24; // WavStreamWriter.SmplChunkBytes: one forward loop

function encode(left, right, bits, sampleRate, loop) {
  const bytesPerSample = bits / 8;
  const blockAlign = 2 * bytesPerSample;
  const dataBytes = left.length * blockAlign;
  // Float: an 18-byte fmt (cbSize 0) and a fact chunk (frames), as WavWriter writes and sox expects; PCM: 44 bytes.
  const isFloat = bits === 32;
  const header = isFloat ? 58 : 44;
  const extra = loop ? SMPL_BYTES : 0;
  const buffer = new ArrayBuffer(header + dataBytes + extra);
  const view = new DataView(buffer);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i)); };
  text(0, 'RIFF');
  view.setUint32(4, header - 8 + dataBytes + extra, true);
  if (loop) {
    const at = header + dataBytes;
    text(at, 'smpl');
    view.setUint32(at + 4, SMPL_BYTES - 8, true);
    view.setUint32(at + 16, Math.round(1e9 / sampleRate), true); // sample period, ns
    view.setUint32(at + 20, 60, true);                             // MIDI unity note
    view.setUint32(at + 36, 1, true);                              // one loop
    view.setUint32(at + 52, 0, true);                              // from the first frame
    view.setUint32(at + 56, left.length - 1, true);                // to the last
  }
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, isFloat ? 18 : 16, true);
  view.setUint16(20, isFloat ? 3 : 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  if (isFloat) {
    view.setUint16(36, 0, true);
    text(38, 'fact');
    view.setUint32(42, 4, true);
    view.setUint32(46, left.length, true);
  }
  text(header - 8, 'data');
  view.setUint32(header - 4, dataBytes, true);
  const n = left.length;
  if (isFloat) {
    // 58 is not a multiple of 4, so a Float32Array cannot sit on the file: interleave apart, then copy the bytes.
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) { out[2 * i] = left[i]; out[2 * i + 1] = right[i]; }
    new Uint8Array(buffer, header).set(new Uint8Array(out.buffer));
  } else if (bits === 16) {
    const out = new Int16Array(buffer, 44, 2 * n);
    for (let i = 0; i < n; i++) { out[2 * i] = quantize(left[i], 32768); out[2 * i + 1] = quantize(right[i], 32768); }
  } else {
    let o = 44;
    for (let i = 0; i < n; i++) {
      for (const v of [quantize(left[i], 8388608), quantize(right[i], 8388608)]) {
        view.setUint8(o, v & 0xff); view.setUint8(o + 1, (v >> 8) & 0xff); view.setUint8(o + 2, (v >> 16) & 0xff);
        o += 3;
      }
    }
  }
  return buffer;
}

// scale·x (exact: a power of two) clipped to [−scale, scale − 1], rounded half away from zero, NaN → 0.
function quantize(x, scale) {
  const v = x * scale;
  if (Number.isNaN(v)) return 0;
  const r = Math.trunc(v >= 0 ? v + 0.5 : v - 0.5);
  return r < -scale ? -scale : r > scale - 1 ? scale - 1 : r;
}

// Stems (issue 25): one length for all (the span, then up to the last frame above the silence level in any stem),
// a WAV each, stored (not deflated: audio hardly shrinks) in one zip.
function stems({ stems, spanFrames, bits, sampleRate, silenceDb }) {
  const SILENCE = Math.fround(Math.pow(10, silenceDb / 20));
  const length = stems[0].left.length;
  let end = Math.min(spanFrames, length);
  let peak = 0;
  for (const { left, right } of stems) {
    for (let i = length - 1; i >= end; i--) {
      if (Math.abs(left[i]) > SILENCE || Math.abs(right[i]) > SILENCE) { end = i + 1; break; }
    }
  }
  const files = stems.map(({ name, left, right }) => {
    for (let i = 0; i < end; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
    return { name, bytes: new Uint8Array(encode(left.subarray(0, end), right.subarray(0, end), bits, sampleRate, false)) };
  });
  const bytes = zip(files);
  postMessage({ bytes, frames: end, peak }, [bytes]);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip of stored entries (APPNOTE 4.3: local headers, central directory, end record), UTF-8 names (flag bit 11),
// a fixed time (2026-01-01), so the same stems make the same zip.
function zip(files) {
  const encoder = new TextEncoder();
  const entries = files.map((f) => ({ ...f, nameBytes: encoder.encode(f.name), crc: crc32(f.bytes) }));
  const localSize = entries.reduce((n, e) => n + 30 + e.nameBytes.length + e.bytes.length, 0);
  const centralSize = entries.reduce((n, e) => n + 46 + e.nameBytes.length, 0);
  const out = new ArrayBuffer(localSize + centralSize + 22);
  const view = new DataView(out);
  const bytes = new Uint8Array(out);
  const time = 0, date = ((2026 - 1980) << 9) | (1 << 5) | 1;
  let at = 0;
  for (const e of entries) {
    e.offset = at;
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 0x0800, true);
    view.setUint16(at + 8, 0, true);
    view.setUint16(at + 10, time, true);
    view.setUint16(at + 12, date, true);
    view.setUint32(at + 14, e.crc, true);
    view.setUint32(at + 18, e.bytes.length, true);
    view.setUint32(at + 22, e.bytes.length, true);
    view.setUint16(at + 26, e.nameBytes.length, true);
    view.setUint16(at + 28, 0, true);
    bytes.set(e.nameBytes, at + 30);
    bytes.set(e.bytes, at + 30 + e.nameBytes.length);
    at += 30 + e.nameBytes.length + e.bytes.length;
  }
  const central = at;
  for (const e of entries) {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 20, true);
    view.setUint16(at + 8, 0x0800, true);
    view.setUint16(at + 10, 0, true);
    view.setUint16(at + 12, time, true);
    view.setUint16(at + 14, date, true);
    view.setUint32(at + 16, e.crc, true);
    view.setUint32(at + 20, e.bytes.length, true);
    view.setUint32(at + 24, e.bytes.length, true);
    view.setUint16(at + 28, e.nameBytes.length, true);
    view.setUint32(at + 42, e.offset, true);
    bytes.set(e.nameBytes, at + 46);
    at += 46 + e.nameBytes.length;
  }
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - central, true);
  view.setUint32(at + 16, central, true);
  return out;
}
