// The export's last stages off the main thread, as Orbitr.Dsp ends a render: the auto tail (every frame of the
// pattern's span, then up to the last frame above −90 dBFS: TailTrim) and canonical RIFF/WAVE encoding (WavWriter:
// 16/24-bit PCM rounded half away from zero and clipped, NaN → 0; or 32-bit float as-is).
const SILENCE = Math.fround(Math.pow(10, -90 / 20));

onmessage = (e) => {
  const { left, right, spanFrames, bits, sampleRate } = e.data;
  let end = Math.min(spanFrames, left.length);
  for (let i = left.length - 1; i >= end; i--) {
    if (Math.abs(left[i]) > SILENCE || Math.abs(right[i]) > SILENCE) { end = i + 1; break; }
  }
  let peak = 0;
  for (let i = 0; i < end; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
  const bytes = encode(left.subarray(0, end), right.subarray(0, end), bits, sampleRate);
  postMessage({ bytes, frames: end, peak }, [bytes]);
};

function encode(left, right, bits, sampleRate) {
  const bytesPerSample = bits / 8;
  const blockAlign = 2 * bytesPerSample;
  const dataBytes = left.length * blockAlign;
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i)); };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, bits === 32 ? 3 : 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bits, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  const n = left.length;
  if (bits === 32) {
    const out = new Float32Array(buffer, 44, 2 * n);
    for (let i = 0; i < n; i++) { out[2 * i] = left[i]; out[2 * i + 1] = right[i]; }
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
