// The transport's clock: a worker timer is not throttled like the page's timers when the tab is in the
// background. It only says "tick"; the C# transport decides what to schedule.
let timer = 0;
self.onmessage = (e) => {
  clearInterval(timer);
  timer = 0;
  if (e.data && e.data.interval > 0) timer = setInterval(() => self.postMessage('tick'), e.data.interval);
};
