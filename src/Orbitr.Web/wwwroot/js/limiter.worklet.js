// The master limiter on the audio thread: a port of Orbitr.Dsp.Master.LookAheadLimiter, so live playback limits
// exactly as the export does (LimiterWorkletTests pin it bit-identical to the C# class in Chromium). Same constants,
// same order of operations; Math.fround wherever C# computes in float, plain doubles where it uses double. The output
// is the limited input delayed by latency = L − 1 frames (the look-ahead), zeros before; ask the port
// { query: 'latency' } for it, and send { ceilingDb } to change the ceiling.
// Options: processorOptions.ceilingDb, processorOptions.windowSeconds (LookAheadLimiter.WindowSeconds, from C#) and
// processorOptions.truePeak (the ceiling in dBTP: Orbitr.Dsp.Master.TruePeak's 4× interpolation, 11 frames more
// latency). Stereo in and out; a mono input counts as both channels, no input as silence.
const f32 = Math.fround;

// ITU-R BS.1770-4 Annex 2: the 4 phases of 12 taps (Orbitr.Dsp.Master.TruePeak.Phases), applied to frames j − 11 … j.
const TP_TAPS = 12;
const TP_PHASES = [
  [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
    0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500],
  [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
    0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375],
  [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125, 0.7797851562500,
    0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875],
  [-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750, 0.9721679687500,
    0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750],
].map((p) => Float32Array.from(p));
const TP_BOUND = f32(2.03); // TruePeak.Bound

class OrbitrLimiter extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const rate = sampleRate;
    const windowSeconds = options?.processorOptions?.windowSeconds;
    if (!(windowSeconds > 0)) throw new Error('orbitr-limiter needs processorOptions.windowSeconds');
    const w = Math.max(1, Math.floor(windowSeconds * rate)); // C# (int) truncates: the same for a positive number
    this.window = w;
    this.truePeak = !!options?.processorOptions?.truePeak;
    this.delay = this.truePeak ? TP_TAPS - 1 : 0;
    this.size = w + this.delay; // ring length: the latency + 1
    this.latency = this.size - 1;
    this.tp = new Float32Array(TP_TAPS); // the last 12 interpolated peaks
    this.tpAt = 0;
    this.previousPeak = Infinity;
    this.ceiling = f32(Math.pow(10, (options?.processorOptions?.ceilingDb ?? 0) / 20));
    this.release = f32(Math.exp(-1.0 / (0.05 * rate)));

    // Frames waiting for their look-ahead: frame j sits in slot j % size until frame j + latency has arrived.
    this.ringL = new Float32Array(this.size);
    this.ringR = new Float32Array(this.size);
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
    const size = this.size;
    const latency = this.latency;
    const ceiling = this.ceiling;
    const delay = this.delay;

    // As C#'s idle path: with nothing over the ceiling within reach the delayed input is the output, and the state
    // would not change frame by frame either (an all-ones box reads the same from any position). In true-peak mode
    // an interpolated value can be TP_BOUND × its samples, which reach back into the block before.
    let peak = 0;
    if (inL) for (let k = 0; k < n; k++) peak = Math.max(peak, Math.abs(inL[k]), Math.abs(inR[k]));
    const quiet = this.truePeak
      ? f32(peak * TP_BOUND) <= ceiling && f32(this.previousPeak * TP_BOUND) <= ceiling && n >= 2 * TP_TAPS
      : !(peak > ceiling);
    this.previousPeak = peak;
    const idle = this.minCount === 0 && this.belowOne === 0 && this.current === 1 && quiet;
    if (idle && this.truePeak) this.tp.fill(0);

    for (let k = 0; k < n; k++) {
      const j = this.received;
      const s = j % size;
      // Slot s held frame j − size, already sent on: frame j takes it. Frame j completes the look-ahead of frame
      // j − latency, in slot (j + 1) % size.
      const l = inL ? inL[k] : 0;
      const r = inR ? inR[k] : 0;
      this.ringL[s] = l;
      this.ringR[s] = r;
      if (!idle) {
        if (!this.truePeak) this.push(j, Math.max(Math.abs(l), Math.abs(r)));
        else {
          this.tp[this.tpAt] = this.interpolatedPeak(j);
          this.tpAt = (this.tpAt + 1) % TP_TAPS;
          if (j >= delay) {
            const q = (j - delay) % size; // the frame whose twelve interpolations are all in now
            let p = Math.max(Math.abs(this.ringL[q]), Math.abs(this.ringR[q]));
            for (let t = 0; t < TP_TAPS; t++) p = Math.max(p, this.tp[t]);
            this.push(j - delay, p);
          }
        }
      }
      this.received = j + 1;
      let yl = 0;
      let yr = 0;
      if (j >= latency) {
        const slot = (j + 1) % size; // frame j − latency
        if (!idle) this.apply(slot);
        yl = this.ringL[slot];
        yr = this.ringR[slot];
      }
      if (outL) outL[k] = yl;
      if (outR) outR[k] = yr;
    }
    return true;
  }

  // The largest |interpolated value| of both channels from frames j − 11 … j (TruePeak.At; before frame 0: silence).
  interpolatedPeak(j) {
    let peak = 0;
    for (const h of TP_PHASES) {
      let l = 0;
      let r = 0;
      for (let k = 0; k < TP_TAPS; k++) {
        const i = j - (TP_TAPS - 1) + k;
        if (i < 0) continue;
        const s = i % this.size;
        l = f32(l + f32(h[k] * this.ringL[s]));
        r = f32(r + f32(h[k] * this.ringR[s]));
      }
      peak = Math.max(peak, Math.abs(l), Math.abs(r));
    }
    return peak;
  }

  // Input frame j, whose peak is p, enters the sliding minimum and the moving average (LookAheadLimiter.Push).
  push(j, p) {
    const w = this.window;
    const ceiling = this.ceiling;
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
