// The live board follows /board/events (server-sent events) and says when the feed is lost; the browser
// reconnects by itself. No page reload, no library.
(function () {
  var board = document.getElementById("board-live");
  var lost = document.getElementById("feed-lost");
  var source = new EventSource("/board/events");
  source.addEventListener("board", function (event) {
    board.innerHTML = event.data;
    board.dataset.updated = String(Date.now());
    lost.hidden = true;
  });
  source.onopen = function () { lost.hidden = true; };
  source.onerror = function () { lost.hidden = false; };
  window.addEventListener("pagehide", function () { source.close(); });
})();
