// Renders Orbitr notes in an OfflineAudioContext with the voice graph of ARCHITECTURE §2:
// source → velocity gain → StereoPanner → Biquad → WaveShaper → delay (dry + mix·wet, feedback loop)
// → track gain → master gain → destination (compressor off). Voices are created window by window with
// suspend()/resume(), as the live scheduler does; creating them all up front makes Chromium crawl.
export async function renderNotes({ sampleRate, frames, samples, curves, tracks, notes, masterVolume, window = 0.5 }) {
  const ctx = new OfflineAudioContext(2, frames, sampleRate);
  const buffers = {};
  for (const [key, data] of Object.entries(samples)) {
    const b = ctx.createBuffer(1, data.length, sampleRate);
    b.copyToChannel(Float32Array.from(data), 0);
    buffers[key] = b;
  }
  const shaperCurves = curves.map(c => Float32Array.from(c));
  const master = ctx.createGain();
  master.gain.value = masterVolume;
  master.connect(ctx.destination);
  const trackBuses = tracks.map(t => { const g = ctx.createGain(); g.gain.value = t.volume; g.connect(master); return g; });

  function voice(n) {
    const src = ctx.createBufferSource();
    src.buffer = buffers[n.sample];
    const vel = ctx.createGain(); vel.gain.value = n.gain;
    const pan = ctx.createStereoPanner(); pan.pan.value = n.pan;
    src.connect(vel).connect(pan);
    let tail = pan;
    const nodes = [src, vel, pan];
    if (n.filter) {
      const f = ctx.createBiquadFilter();
      f.type = n.filter.type; f.frequency.value = n.filter.frequency; f.Q.value = n.filter.q;
      tail = tail.connect(f); nodes.push(f);
    }
    if (n.curve >= 0) {
      const ws = ctx.createWaveShaper(); ws.curve = shaperCurves[n.curve];
      tail = tail.connect(ws); nodes.push(ws);
    }
    const bus = trackBuses[n.track];
    let end = n.time + src.buffer.duration;
    if (n.delay) {
      const d = ctx.createDelay(2); d.delayTime.value = n.delay.time;
      const fb = ctx.createGain(); fb.gain.value = n.delay.feedback;
      const mix = ctx.createGain(); mix.gain.value = n.delay.mix;
      tail.connect(d); d.connect(fb); fb.connect(d); d.connect(mix); mix.connect(bus);
      nodes.push(d, fb, mix);
      // The echoes fall below −80 dB after log(1e-4)/log(feedback) repeats.
      const repeats = n.delay.feedback > 0 ? Math.ceil(Math.log(1e-4) / Math.log(n.delay.feedback)) : 1;
      end += n.delay.time * (repeats + 1);
    }
    tail.connect(bus);
    src.start(n.time);
    return { end, nodes };
  }

  const live = [];
  let next = 0;
  function schedule(until) {
    while (next < notes.length && notes[next].time < until) live.push(voice(notes[next++]));
    // Disconnect voices whose tail has decayed, or a feedback delay keeps Chromium busy for ever.
    const now = ctx.currentTime;
    for (let i = live.length - 1; i >= 0; i--) {
      if (live[i].end < now) { for (const node of live[i].nodes) node.disconnect(); live.splice(i, 1); }
    }
  }
  const duration = frames / sampleRate;
  schedule(window);
  for (let t = window; t < duration; t += window) {
    ctx.suspend(t).then(() => { schedule(t + window); ctx.resume(); });
  }
  const started = performance.now();
  const rendered = await ctx.startRendering();
  const ms = performance.now() - started;
  return { ms, left: Array.from(rendered.getChannelData(0).subarray(0, 200000)) };
}
