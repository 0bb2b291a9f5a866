// Fill the papers box with the chosen procedure's list, unless the clerk
// has typed a list of their own.
(function () {
  var select = document.getElementById("procedure_code");
  var papers = document.getElementById("papers");
  if (!select || !papers) return;
  var filled = papers.value;

  select.addEventListener("change", function () {
    if (papers.value !== filled && papers.value.trim() !== "") return;
    var option = select.options[select.selectedIndex];
    filled = (option && option.getAttribute("data-papers")) || "";
    papers.value = filled;
  });
})();
