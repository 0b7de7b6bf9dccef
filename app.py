"""The Streamlit script of the repository (`make run`): the app itself is `knotenpunkt.app`."""

from knotenpunkt.app import main

main()
