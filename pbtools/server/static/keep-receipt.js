(function(){var e=document.getElementById("receipt-url");if(e&&window.history&&history.replaceState)history.replaceState(null,"",e.getAttribute("data-url"));})();
