// The master limiter on the audio thread: a port of Orbitr.Dsp.Master.LookAheadLimiter, so live playback limits
// exactly as the export does (LimiterWorkletTests pin it bit-identical to the C# class in Chromium). Same constants,
// same order of operations; Math.fround wherever C# computes in float, plain doubles where it uses double. The output
// is the limited input delayed by latency = L − 1 frames (the look-ahead), zeros before; ask the port
// { query: 'latency' } for it, and send { ceilingDb } to change the ceiling.
// Options: processorOptions.ceilingDb and processorOptions.windowSeconds (LookAheadLimiter.WindowSeconds, from C#). Stereo in and out; a mono input counts as both channels, no input as silence.
const f32 = Math.fround;

class OrbitrLimiter extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const rate = sampleRate;
    const windowSeconds = options?.processorOptions?.windowSeconds;
    if (!(windowSeconds > 0)) throw new Error('orbitr-limiter needs processorOptions.windowSeconds');
    const w = Math.max(1, Math.floor(windowSeconds * rate)); // C# (int) truncates: the same for a positive number
    this.window = w;
    this.latency = w - 1;
    this.ceiling = f32(Math.pow(10, (options?.processorOptions?.ceilingDb ?? 0) / 20));
    this.release = f32(Math.exp(-1.0 / (0.05 * rate)));

    // Frames waiting for their look-ahead: frame j sits in slot j % L until frame j + L − 1 has arrived.
    this.ringL = new Float32Array(w);
    this.ringR = new Float32Array(w);
    this.received = 0; // frames in so far (index of the next input frame)

    // Sliding minimum of the wanted gain over the window: only gains below 1 are kept (1 is implicit), increasing.
    this.minIndex = new Float64Array(w);
    this.minGain = new Float32Array(w);
    this.minHead = 0;
    this.minCount = 0;

    // Moving average of the sliding minimum over the last L frames; belowOne counts its entries under 1.
    // boxSum stays a double, as in C#: only the differences added to it are float.
    this.box = new Float32Array(w).fill(1);
    this.boxAt = 0;
    this.belowOne = 0;
    this.boxSum = w;

    this.current = 1;

    this.port.onmessage = (e) => {
      const m = e.data || {};
      if (typeof m.ceilingDb === 'number') this.ceiling = f32(Math.pow(10, m.ceilingDb / 20));
      if (m.query === 'latency') this.port.postMessage({ latency: this.latency });
    };
  }

  process(inputs, outputs) {
    const input = inputs[0] || [];
    const inL = input[0] || null;
    const inR = input[1] || inL; // mono: both channels equal; unconnected: both null (silence)
    const out = outputs[0];
    const outL = out[0] || null;
    const outR = out[1] || null;
    const n = outL ? outL.length : (inL ? inL.length : 128);
    const w = this.window;
    const latency = this.latency;
    const ceiling = this.ceiling;

    // As C#'s idle path: with nothing over the ceiling within reach the delayed input is the output, and the state
    // would not change frame by frame either (an all-ones box reads the same from any position).
    let idle = this.minCount === 0 && this.belowOne === 0 && this.current === 1;
    if (idle && inL) {
      let peak = 0;
      for (let k = 0; k < n; k++) peak = Math.max(peak, Math.abs(inL[k]), Math.abs(inR[k]));
      idle = !(peak > ceiling);
    }

    for (let k = 0; k < n; k++) {
      const j = this.received;
      const s = j % w;
      // Slot s held frame j − L, already sent on: frame j takes it. Frame j completes the look-ahead of frame
      // j − latency, in slot (j + 1) % L.
      const l = inL ? inL[k] : 0;
      const r = inR ? inR[k] : 0;
      this.ringL[s] = l;
      this.ringR[s] = r;
      if (!idle) this.push(j, l, r);
      else this.received = j + 1;
      let yl = 0;
      let yr = 0;
      if (j >= latency) {
        const slot = (j + 1) % w; // frame j − latency = j − L + 1
        if (!idle) this.apply(slot);
        yl = this.ringL[slot];
        yr = this.ringR[slot];
      }
      if (outL) outL[k] = yl;
      if (outR) outR[k] = yr;
    }
    return true;
  }

  // Input frame j enters the sliding minimum and the moving average (LookAheadLimiter.Push).
  push(j, l, r) {
    const w = this.window;
    const ceiling = this.ceiling;
    const p = Math.max(Math.abs(l), Math.abs(r));
    const g = p > ceiling ? f32(ceiling / p) : 1;
    // Drop minima that left the window [j − L + 1, j], then those no smaller than the new gain.
    while (this.minCount > 0 && this.minIndex[this.minHead] <= j - w) {
      this.minHead = (this.minHead + 1) % w;
      this.minCount--;
    }
    if (g < 1) {
      while (this.minCount > 0 && this.minGain[(this.minHead + this.minCount - 1) % w] >= g) this.minCount--;
      const at = (this.minHead + this.minCount) % w;
      this.minIndex[at] = j;
      this.minGain[at] = g;
      this.minCount++;
    }
    this.received = j + 1;
    // The minimum over [j − L + 1, j] enters the moving average.
    const h = this.minCount > 0 ? this.minGain[this.minHead] : 1;
    const old = this.box[this.boxAt];
    if (old < 1) this.belowOne--;
    if (h < 1) this.belowOne++;
    this.box[this.boxAt] = h;
    this.boxAt = (this.boxAt + 1) % w;
    this.boxSum += f32(h - old); // C#: double += float
    if (this.belowOne === 0) this.boxSum = w; // exactly 1 again: no drift from the running sum
  }

  // The frame in this slot has its averaged gain complete: scale it (LookAheadLimiter.Apply).
  apply(slot) {
    const ceiling = this.ceiling;
    const target = this.belowOne === 0 ? 1 : f32(this.boxSum / this.window);
    let c = this.current;
    c = target < c ? target : f32(target + f32(this.release * f32(c - target)));
    this.current = c;
    const l = this.ringL[slot];
    const r = this.ringR[slot];
    if (c === 1 && Math.abs(l) <= ceiling && Math.abs(r) <= ceiling) return;
    this.ringL[slot] = clamp(f32(l * c), ceiling);
    this.ringR[slot] = clamp(f32(r * c), ceiling);
  }
}

// Math.Clamp's order of tests, so a NaN passes through as it does in C#.
function clamp(v, ceiling) {
  return v < -ceiling ? -ceiling : v > ceiling ? ceiling : v;
}

registerProcessor('orbitr-limiter', OrbitrLimiter);
