// The home page's "Find a therapist near you" form (overrides/home.html; issue 23, privacy said
// truly). Sent as a plain form it would put the ZIP code in the address the browser asks this
// site's host for (?zip=62704). Instead the ZIP code goes in the address's #fragment, which
// browsers never send to a server, and finder.js reads it from there: what the finder says
// ("your exact ZIP code stays in your browser") is true when arriving from here too.
// Without JavaScript the form is not shown (site.css): the finder itself needs JavaScript.
(function () {
  "use strict";
  var form = document.querySelector("form.home-zip");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var zip = (form.elements.zip.value || "").trim();
    var target = new URL(form.getAttribute("action"), location.href);
    target.search = "";
    target.hash = zip ? "zip=" + encodeURIComponent(zip) : "";
    location.assign(target.href);
  });
})();
